/** Small page-level states: loading, not permitted, no institution chosen. */
import { Alert, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" aria-hidden="true" />
        <Text size="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      </Stack>
    </Center>
  );
}

export function NotPermitted() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light">
      {t('common.notPermitted')}
    </Alert>
  );
}

export function PickInstitution({ title }: { /** The page's heading, given when the page shows nothing else (every page has one h1). */ title?: string }) {
  const { t } = useTranslation();
  const alert = (
    <Alert color="blue" variant="light">
      {t('common.pickInstitution')}
    </Alert>
  );
  return title ? (
    <Stack>
      <Title order={1}>{title}</Title>
      {alert}
    </Stack>
  ) : (
    alert
  );
}
