/** The bell in the header: a link to the notification centre whose name says how many are unread. */
import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UnreadCountBody } from '../../../contracts/reminders.js';
import { AnchorLink } from '../../components/links.js';
import { api } from '../../lib/api.js';

/** The query of the unread count; the centre's changes invalidate it. */
export const UNREAD_KEY = ['notifications', 'unread'] as const;

export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useQuery({
    queryKey: UNREAD_KEY,
    queryFn: () => api<UnreadCountBody>('/me/notifications/unread-count'),
    // The digest is made once a day: a minute is soon enough.
    refetchInterval: 60_000,
  });
  const count = unread.data?.unread ?? 0;
  return (
    <AnchorLink
      to="/notifications"
      aria-label={t('reminders.bell', { count })}
      data-testid="notification-bell"
      underline="never"
      c="dark.7"
      style={{ display: 'inline-flex', alignItems: 'center', gap: 4, padding: '4px 6px' }}
    >
      <svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {count > 0 ? (
        <Badge color="red.9" size="sm" circle={count < 10} aria-hidden="true">
          {count > 99 ? '99+' : count}
        </Badge>
      ) : null}
    </AnchorLink>
  );
}
