/** What the sealed values of vendor questionnaires are bound to (sealing, and the rotation of `SECRETS_KEY`). */

/** The contact's sealed email is bound to its questionnaire. */
export const emailAad = (id: string) => `vendor_questionnaires:${id}`;
/** A file's sealed key is bound to its row. */
export const fileKeyAad = (id: string) => `vendor_answer_files:${id}`;
