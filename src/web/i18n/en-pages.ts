/** The messages of the pages behind sign-in and the public pages: loaded after the sign-in page (src/web/i18n/index.ts). */
import { staffRequestsEn } from '../features/requests/messages-en.js';
import { publicListEn } from '../features/public/messages-en.js';
import { attachmentsEn } from '../features/attachments/messages-en.js';
import { privacyPolicyEn } from '../features/policy/messages-en.js';
import { regionCellsEn } from '../features/bundle/messages-en.js';
import { remindersEn } from '../features/reminders/messages-en.js';
import { reportsEn } from '../../contracts/i18n/reports-en.js';
import { assessmentsEn } from '../features/assessments/messages-en.js';
import { vendorsEn } from '../features/vendors/messages-en.js';

export const enPages = {
  assessments: assessmentsEn,
  reports: reportsEn,
  publicList: publicListEn,
  staffRequests: staffRequestsEn,
  privacyPolicy: privacyPolicyEn,
  regionCells: regionCellsEn,
  reminders: remindersEn,
  attachments: attachmentsEn,
  vendors: vendorsEn,
};
