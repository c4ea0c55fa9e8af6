/** `/inventory/$itemId`: an item's details (editable), status transitions and history. */
import { Anchor, Badge, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading, PickInstitution } from '../../components/PageState.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useFlash } from '../../lib/flash.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';
import { useCurrentInstitution } from '../../lib/useInstitution.js';
import { AttachmentsPanel } from '../attachments/AttachmentsPanel.js';
import { AssessmentPanel } from '../assessments/AssessmentPanel.js';
import { DeleteItemButton } from './DeleteItemButton.js';
import { HistoryList } from './HistoryList.js';
import { ItemEditForm } from './ItemEditForm.js';
import { itemQuery } from './itemQueries.js';
import { StatusPanel } from './StatusPanel.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';

const route = getRouteApi('/_app/inventory/$itemId');

export function InventoryDetailPage() {
  const { t } = useTranslation();
  const { itemId } = route.useParams();
  const session = useRequiredSession();
  const flash = useFlash();
  const format = useFormat();
  const { institution } = useCurrentInstitution();
  const item = useQuery({ ...itemQuery(itemId), enabled: Boolean(session.institution) });
  const [tab, setTab] = useState<string | null>('details');

  if (!session.institution) return <PickInstitution title={t('shell.inventory')} />;
  const back = (
    <AnchorLink to="/inventory" size="sm">
      ← {t('inventory.title')}
    </AnchorLink>
  );
  if (item.isPending) return <Loading />;
  if (item.isError) {
    return (
      <Stack>
        {back}
        <ErrorAlert error={item.error} />
      </Stack>
    );
  }

  const data = item.data;
  const canEdit = session.abilities.manageInventory;
  return (
    <Stack>
      {back}
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1}>{data.name}</Title>
            <StatusBadge status={data.status} />
            {data.isCustom ? (
              <Badge variant="outline" color="gray">
                {t('inventory.custom')}
              </Badge>
            ) : null}
          </Group>
          <Group gap="md">
            {data.vendor ? <Text c="dimmed">{data.vendor}</Text> : null}
            {data.website ? (
              <Anchor href={data.website} target="_blank" rel="noopener noreferrer" size="sm">
                {data.website}
              </Anchor>
            ) : null}
            {data.catalogAppId ? (
              <AnchorLink to="/catalog" search={{ app: data.catalogAppId }} size="sm">
                {t('item.catalogEntry', { name: data.name })}
              </AnchorLink>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            {t('item.updatedAt', { date: format.dateTime(data.updatedAt) })} · {t('item.version', { version: data.version })}
          </Text>
        </Stack>
        {canEdit ? (
          <WriteArea>
            <DeleteItemButton item={data} />
          </WriteArea>
        ) : null}
      </Group>
      <Feedback success={flash} />

      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">{t('item.details')}</Tabs.Tab>
          <Tabs.Tab value="history">{t('item.history')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <WriteArea>
            <Stack gap="lg">
              <StatusPanel item={data} canEdit={canEdit} canApprove={session.abilities.approve} />
              <AssessmentPanel itemId={data.id} catalogAppId={data.catalogAppId} canEdit={canEdit} />
              <AttachmentsPanel owner={{ kind: 'inventory', id: data.id }} />
              <ItemEditForm item={data} institution={institution} canEdit={canEdit} />
            </Stack>
          </WriteArea>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryList itemId={data.id} institution={institution} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
