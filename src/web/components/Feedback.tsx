/**
 * Save confirmations and errors, announced to screen readers: successes in a polite live region that
 * is always present, errors as an alert. Shows the API error's message (or a translated fallback).
 */
import { Alert, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../lib/errors.js';

interface FeedbackProps {
  error?: unknown;
  success?: string | null;
}

/**
 * The outcome of a page's latest action, for `Feedback`: a success replaces an earlier error and
 * the reverse. Hand `onSaved` and `onError` to the page's action buttons.
 */
export function useOutcome() {
  const [success, setSuccess] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return {
    success,
    error,
    onSaved: (message: string) => {
      setError(null);
      setSuccess(message);
    },
    onError: (e: unknown) => {
      setSuccess(null);
      setError(e);
    },
  };
}

export function Feedback({ error, success }: FeedbackProps) {
  return (
    <Stack gap="xs">
      <div role="status" aria-live="polite" aria-atomic="true">
        {success ? (
          <Alert color="green" variant="light">
            {success}
          </Alert>
        ) : null}
      </div>
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { message, requestId } = useErrorMessage()(error);
  return (
    <Alert color="red" variant="light" role="alert">
      <Text size="sm">{message}</Text>
      {requestId ? (
        <Text size="xs" c="dimmed">
          {t('errors.requestId', { id: requestId })}
        </Text>
      ) : null}
    </Alert>
  );
}
