/**
 * English words of the full export's codes that no other message tree holds (`exports-fr.ts` has
 * the same keys). The sheets' English headers are written beside each column in
 * `server/modules/exports/export-entities.ts`.
 */
export const exportsEn = {
  staffRequestStatus: {
    waiting: 'Waiting for triage',
    accepted: 'Accepted',
    merged: 'Merged',
    declined: 'Declined',
  },
  decision: {
    submitted: 'Submitted for review',
    returned: 'Returned for changes',
    approved: 'Approved',
    approved_with_conditions: 'Approved with conditions',
    rejected: 'Rejected',
    reopened: 'Reopened',
  },
  attachmentKind: {
    agreement: 'Agreement',
    vendor_document: 'Vendor document',
    other: 'Other',
  },
  questionKind: {
    yes_no_unsure: 'Yes, no or unsure',
    single_choice: 'One choice',
    multiple_choice: 'Several choices',
    short_text: 'Short text',
    long_text: 'Long text',
    date: 'Date',
    country_list: 'Countries',
    data_elements: 'Data elements',
    table_rows: 'Table',
    evidence_link: 'Evidence link',
    risk: 'Risk',
  },
  origin: {
    operator: 'Master bank',
    institution: 'Institution',
    onboarding: 'Onboarding',
    vendor: 'Vendor',
  },
};
