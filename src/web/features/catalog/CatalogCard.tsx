/** One catalog app as a card: name, vendor, categories, and actions. */
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CatalogAppBody } from '../../../contracts/api.js';
import { ButtonLink } from '../../components/links.js';
import { categoryLabel } from './labels.js';

interface CatalogCardProps {
  app: CatalogAppBody;
  canAdd: boolean;
  onOpen: () => void;
}

export function CatalogCard({ app, canAdd, onOpen }: CatalogCardProps) {
  const { t } = useTranslation();
  return (
    <Card component="li" withBorder padding="md" style={{ display: 'flex', flexDirection: 'column' }}>
      <Stack gap={6} style={{ flexGrow: 1 }}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={2} size="h4">
            {app.name}
          </Title>
          {app.isDemo ? (
            <Badge variant="outline" color="orange.9" size="sm" title={t('catalog.demoHint')}>
              {t('catalog.demo')}
            </Badge>
          ) : null}
        </Group>
        <Text size="sm" c="dimmed">
          {app.vendor}
        </Text>
        <Group gap={4}>
          {app.categories.map((c) => (
            <Badge key={c} variant="light" color="gray" size="sm">
              {categoryLabel(t, c)}
            </Badge>
          ))}
        </Group>
        {app.description ? (
          <Text size="sm" lineClamp={3}>
            {app.description}
          </Text>
        ) : null}
      </Stack>
      <Group mt="md" gap="xs">
        <Button variant="default" size="xs" onClick={onOpen} aria-label={t('catalog.detailsFor', { name: app.name })}>
          {t('catalog.details')}
        </Button>
        {canAdd ? (
          <ButtonLink
            to="/inventory/new"
            search={{ catalogAppId: app.id }}
            size="xs"
            variant="light"
            aria-label={t('catalog.addToInventoryFor', { name: app.name })}
          >
            {t('catalog.addToInventory')}
          </ButtonLink>
        ) : null}
      </Group>
    </Card>
  );
}
