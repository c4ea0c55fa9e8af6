/** Turns any thrown error into a message for people, translated where the API code is known. */
import i18n from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.js';
import { translateFields } from './field-messages.js';

export interface ShownError {
  message: string;
  requestId?: string | undefined;
}

export function useErrorMessage(): (error: unknown) => ShownError {
  const { t } = useTranslation();
  return (error) => {
    if (!(error instanceof ApiError)) return { message: t('errors.generic') };
    const requestId = error.requestId;
    if (error.status === 0) return { message: t('errors.network') };
    if (error.code === 'stale') return { message: t('errors.stale'), requestId };
    if (error.code === 'duplicate') return { message: t('errors.duplicate'), requestId };
    if (error.code === 'institution_read_only') return { message: t('lifecycle.readOnlyError'), requestId };
    if (error.code === 'reauthentication_required') return { message: t('identity.reauth.needed'), requestId };
    if (error.status === 429) return { message: t('errors.rateLimited'), requestId };
    if (error.code === 'unavailable') return { message: t('errors.unavailable'), requestId };
    if (error.message && !/^HTTP \d+$/.test(error.message)) return { message: error.message, requestId };
    if (error.status === 400) return { message: t('errors.validation'), requestId };
    if (error.status === 403) return { message: t('errors.forbidden'), requestId };
    if (error.status === 404) return { message: t('errors.notFound'), requestId };
    return { message: t('errors.generic'), requestId };
  };
}

/**
 * The field errors of an API error (empty when there are none), in the current language where the
 * web app knows their code; components re-render on a language change through `useTranslation`.
 */
export function fieldsOf(error: unknown): Readonly<Record<string, string>> {
  return translateFields(i18n, error);
}

/**
 * The field errors of an API error in the current language, or undefined when it has none: a form
 * then shows the error itself (a refusal, a rate limit) rather than nothing.
 */
export function fieldErrorsOf(error: unknown): Readonly<Record<string, string>> | undefined {
  const fields = fieldsOf(error);
  return Object.keys(fields).length > 0 ? fields : undefined;
}
