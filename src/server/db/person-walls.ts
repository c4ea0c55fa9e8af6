/**
 * Tenant tables with a third wall: within the institution, request code sees and changes only the
 * rows of the person the transaction names (`app.user_id`, set transaction-locally), through a
 * restrictive policy. The database-wall suites read this list: one place for the exceptions to "a
 * tenant sees all of its rows".
 */
export const PERSON_WALLS: Readonly<Record<string, { column: string; policy: string }>> = {
  notifications: { column: 'user_id', policy: 'own_notifications' },
};
