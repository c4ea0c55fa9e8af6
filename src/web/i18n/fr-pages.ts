/** Messages des pages derrière la connexion et des pages publiques : chargés après la page de connexion (src/web/i18n/index.ts). */
import { staffRequestsFr } from '../features/requests/messages-fr.js';
import { publicListFr } from '../features/public/messages-fr.js';
import { attachmentsFr } from '../features/attachments/messages-fr.js';
import { privacyPolicyFr } from '../features/policy/messages-fr.js';
import { regionCellsFr } from '../features/bundle/messages-fr.js';
import { remindersFr } from '../features/reminders/messages-fr.js';
import { reportsFr } from '../../contracts/i18n/reports-fr.js';
import { assessmentsFr } from '../features/assessments/messages-fr.js';
import { vendorsFr } from '../features/vendors/messages-fr.js';
import type { enPages } from './en-pages.js';
import type { DeepStrings } from './types.js';

export const frPages: DeepStrings<typeof enPages> = {
  assessments: assessmentsFr,
  reports: reportsFr,
  publicList: publicListFr,
  staffRequests: staffRequestsFr,
  privacyPolicy: privacyPolicyFr,
  regionCells: regionCellsFr,
  reminders: remindersFr,
  attachments: attachmentsFr,
  vendors: vendorsFr,
};
