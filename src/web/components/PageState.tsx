/** Small page-level states: loading, not permitted, no institution chosen. */
import { Alert, Center, Loader, Stack, Text } from '@mantine/core';
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

export function PickInstitution() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light">
      {t('common.pickInstitution')}
    </Alert>
  );
}
