/** Report codes and column keys in the reader's words (the rule is shared with the server's downloads). */
import { useTranslation } from 'react-i18next';
import type { ReportCell, ReportColumn } from '../../../contracts/reports.js';
import { reportLabeller } from '../../../contracts/i18n/report-labels.js';
import { useFormat } from '../../lib/format.js';

export function useReportLabels() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  // Keys here are built from server data, so they are checked at run time (i18n.exists).
  const labels = reportLabeller({
    lookup: (key) => (i18n.exists(key) ? String(t(key as never)) : undefined),
    country: format.country,
  });
  return {
    title: labels.title,
    column: labels.column,
    value: labels.value,
    /** The text of a table cell. */
    cell: (c: ReportColumn, v: ReportCell | undefined): string => {
      if (v === null || v === undefined || v === '') return '—';
      if (c.kind === 'check') return v === true ? '✓' : '';
      if (c.kind === 'boolean') return v ? t('common.yes') : t('common.no');
      if (c.kind === 'date') return format.date(String(v));
      if (c.kind === 'list' && Array.isArray(v)) return v.length ? v.map((x) => labels.listItem(c.key, x)).join(', ') : '—';
      if (c.kind === 'code') return labels.value(c.key, String(v));
      return String(v);
    },
  };
}
