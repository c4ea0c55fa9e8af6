/** Turns report codes (statuses, grades, data elements, locations…) and column keys into words. */
import { useTranslation } from 'react-i18next';
import type { ReportCell, ReportColumn } from '../../../contracts/reports.js';
import { useFormat } from '../../lib/format.js';

/** Which translation tree the values of a column (or chart category) come from. */
const VALUE_TREES: Record<string, string> = {
  status: 'status',
  grade: 'gradeShort',
  grades: 'gradeShort',
  element: 'dataElement',
  sensitiveElements: 'dataElement',
  audience: 'audience',
};

export function useReportLabels() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  // Keys here are built from server data, so they are checked at run time (i18n.exists).
  const tr = (key: string, fallback: string): string => (i18n.exists(key) ? String(t(key as never)) : fallback);
  const value = (key: string, code: string): string => {
    const tree = VALUE_TREES[key];
    if (tree) return tr(`${tree}.${code}`, code);
    if (key === 'countries') return format.country(code);
    return tr(`reports.codes.${code}`, code);
  };
  return {
    title: (id: string, fallback: string) => tr(`reports.titles.${id}`, fallback),
    column: (c: Pick<ReportColumn, 'key' | 'label' | 'labelKey'>) =>
      c.labelKey ? tr(c.labelKey, c.label) : tr(`reports.columns.${c.key}`, c.label),
    value,
    /** The text of a table cell. */
    cell: (c: ReportColumn, v: ReportCell | undefined): string => {
      if (v === null || v === undefined || v === '') return '—';
      if (c.kind === 'check') return v === true ? '✓' : '';
      if (c.kind === 'boolean') return v ? t('common.yes') : t('common.no');
      if (c.kind === 'date') return format.date(String(v));
      if (c.kind === 'list' && Array.isArray(v))
        return v.length ? v.map((x) => (c.key === 'appNames' ? x : value(c.key, x))).join(', ') : '—';
      if (c.kind === 'code') return value(c.key, String(v));
      return String(v);
    },
  };
}
