/** Frame of the signed-out pages (sign-in, accept invitation): product name, language switch. */
import { Box, Container, Group, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.js';

/** The header of every signed-out page: the product name and the language switch. */
export function PublicHeader() {
  const { t } = useTranslation();
  return (
    <Group component="header" justify="space-between" px="md" py="sm">
      <Text fw={700} fz="xl" c="blue.8">
        {t('common.appName')}
      </Text>
      <LanguageSwitch />
    </Group>
  );
}

export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <Box mih="100vh" bg="gray.0">
      <PublicHeader />
      <Container size={440} component="main" py="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md">
          {children}
        </Paper>
      </Container>
    </Box>
  );
}
