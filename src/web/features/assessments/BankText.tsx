/**
 * Text of the master bank (template titles, sections, questions, guidance, choices), written in
 * English only until the bank is translated: declared English so screen readers pronounce it as such
 * on a French page (WCAG 3.1.2), and marked as bank content. What an institution wrote is its own and
 * carries no language of ours.
 */
import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';

export function BankText({ origin = 'operator', children }: { origin?: 'operator' | 'institution'; children: ReactNode }) {
  return origin === 'operator' ? (
    <span lang="en" data-bank-content="">
      {children}
    </span>
  ) : (
    <>{children}</>
  );
}

/**
 * An assessment's title in the reader's language when it is the one the service gave it (stored in
 * English, as the PDF reads it: see print-text.ts); a title someone typed is shown as typed.
 */
export function assessmentTitle(a: { title: string; appName: string }, t: TFunction): string {
  return a.title === `Privacy impact assessment: ${a.appName}` ? t('assessments.defaultTitle', { app: a.appName }) : a.title;
}
