/** Frame of the signed-out pages (sign-in, accept invitation): product name, language switch. */
import { Box, Container, Group, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.js';

export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group component="header" justify="space-between" px="md" py="sm">
        <Text fw={700} fz="xl" c="blue.8">
          {t('common.appName')}
        </Text>
        <LanguageSwitch />
      </Group>
      <Container size={440} component="main" py="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md">
          {children}
        </Paper>
      </Container>
    </Box>
  );
}
