import 'i18next';
import type { auditEn } from '../../contracts/i18n/audit-en.js';
import type { en } from './en.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en; audit: typeof auditEn };
  }
}
