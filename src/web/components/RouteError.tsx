/** Shown when a page fails to render or load: the error message and a way to retry. */
import { Button, Stack, Title } from '@mantine/core';
import type { ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './Feedback.js';

export function RouteError({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  return (
    <Stack p="md" maw={640}>
      <Title order={1}>{t('common.appName')}</Title>
      <ErrorAlert error={error} />
      <Button variant="default" onClick={() => (reset ? reset() : window.location.reload())} w="fit-content">
        {t('common.reload')}
      </Button>
    </Stack>
  );
}
