/** Date and list formatting in the current language. */
import { useTranslation } from 'react-i18next';
import { countryName, localeOf } from '../../contracts/i18n/report-labels.js';

/** Formats a calendar date (`YYYY-MM-DD`) without shifting it through the local time zone. */
export function formatDate(isoDate: string | null | undefined, language: string): string {
  if (!isoDate) return '—';
  const date = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: 'medium',
    timeZone: isoDate.length === 10 ? 'UTC' : undefined,
  }).format(date);
}

export function formatDateTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Today as `YYYY-MM-DD` in local time. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    date: (iso: string | null | undefined) => formatDate(iso, lang),
    dateTime: (iso: string) => formatDateTime(iso, lang),
    country: (code: string) => countryName(code, lang),
    number: (n: number) => new Intl.NumberFormat(localeOf(lang)).format(n),
    list: (items: readonly string[]) =>
      items.length === 0 ? '—' : new Intl.ListFormat(localeOf(lang), { style: 'long', type: 'conjunction' }).format(items),
  };
}
