import { Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from './links.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={1}>{t('common.appName')}</Title>
        <Text>{t('common.notFound')}</Text>
        <AnchorLink to="/">{t('common.goHome')}</AnchorLink>
      </Stack>
    </Container>
  );
}
