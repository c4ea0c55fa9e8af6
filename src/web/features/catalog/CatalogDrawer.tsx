/** Details of a catalog app in a drawer: links, storage and processing countries, sign-in, data elements. */
import { Anchor, Badge, Button, Drawer, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogAppBody } from '../../../contracts/api.js';
import { SENSITIVE_DATA_ELEMENTS } from '../../../contracts/domain.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { ButtonLink } from '../../components/links.js';
import { Loading } from '../../components/PageState.js';
import { catalogAppQuery } from '../../lib/catalog.js';
import { useFormat } from '../../lib/format.js';
import { categoryLabel, dataElementLabel, signInLabel } from './labels.js';
import { useReadOnly } from '../lifecycle/ReadOnly.js';

interface CatalogDrawerProps {
  appId: string | undefined;
  onClose: () => void;
  canAdd: boolean;
  canEdit: boolean;
  onEdit: (app: CatalogAppBody) => void;
}

export function CatalogDrawer({ appId, onClose, canAdd, canEdit, onEdit }: CatalogDrawerProps) {
  const { t } = useTranslation();
  const app = useQuery({ ...catalogAppQuery(appId ?? ''), enabled: Boolean(appId) });
  return (
    <Drawer
      opened={Boolean(appId)}
      onClose={onClose}
      position="right"
      size="lg"
      title={app.data?.name ?? t('catalog.details')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {app.isPending ? (
        <Loading />
      ) : app.isError ? (
        <ErrorAlert error={app.error} />
      ) : (
        <CatalogDetails app={app.data} canAdd={canAdd} canEdit={canEdit} onEdit={onEdit} />
      )}
    </Drawer>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function CatalogDetails({
  app,
  canAdd,
  canEdit,
  onEdit,
}: {
  app: CatalogAppBody;
  canAdd: boolean;
  canEdit: boolean;
  onEdit: (app: CatalogAppBody) => void;
}) {
  const readOnly = useReadOnly();
  const { t } = useTranslation();
  const format = useFormat();
  const unknown = (
    <Text size="sm" c="dimmed">
      {t('catalog.unknown')}
    </Text>
  );
  const link = (href: string | null, label: string) =>
    href ? (
      <Anchor href={href} target="_blank" rel="noopener noreferrer" size="sm">
        {label}
      </Anchor>
    ) : null;
  return (
    <Stack gap="md">
      <Text c="dimmed">{app.vendor}</Text>
      <Group gap="md">
        {link(app.website, t('catalog.website'))}
        {link(app.privacyPolicyUrl, t('catalog.privacyPolicy'))}
        {link(app.termsUrl, t('catalog.terms'))}
      </Group>
      <Group gap="xs">
        {canAdd ? (
          readOnly ? (
            <Button disabled>{t('catalog.addToInventory')}</Button>
          ) : (
            <ButtonLink to="/inventory/new" search={{ catalogAppId: app.id }}>
              {t('catalog.addToInventory')}
            </ButtonLink>
          )
        ) : null}
        {canEdit ? (
          <Button variant="default" onClick={() => onEdit(app)}>
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>
      {app.description ? <Text size="sm">{app.description}</Text> : null}
      <Section title={t('catalog.categories')}>
        {app.categories.length ? <Text size="sm">{app.categories.map((c) => categoryLabel(t, c)).join(', ')}</Text> : unknown}
      </Section>
      <Section title={t('catalog.storageCountries')}>
        {app.storageCountries.length ? <Text size="sm">{format.list(app.storageCountries.map(format.country))}</Text> : unknown}
      </Section>
      <Section title={t('catalog.processingCountries')}>
        {app.processingCountries.length ? <Text size="sm">{format.list(app.processingCountries.map(format.country))}</Text> : unknown}
      </Section>
      <Section title={t('catalog.signInSupport')}>
        {app.signInSupport.length ? <Text size="sm">{app.signInSupport.map((s) => signInLabel(t, s)).join(', ')}</Text> : unknown}
      </Section>
      <Section title={t('catalog.dataElements')}>
        {app.dataElements.length ? (
          <List size="sm" spacing={2}>
            {app.dataElements.map((code) => (
              <List.Item key={code}>
                {dataElementLabel(t, code)}
                {SENSITIVE_DATA_ELEMENTS.has(code) ? (
                  <Badge ml="xs" size="xs" color="orange" variant="light">
                    {t('common.sensitive')}
                  </Badge>
                ) : null}
              </List.Item>
            ))}
          </List>
        ) : (
          unknown
        )}
      </Section>
    </Stack>
  );
}
