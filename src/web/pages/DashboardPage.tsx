/** Overview of the current institution's inventory: how many apps in each status. */
import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InventoryItemBody } from '../../contracts/api.js';
import { INVENTORY_STATUSES } from '../../contracts/domain.js';
import { AnchorLink } from '../components/links.js';
import { Loading, PickInstitution } from '../components/PageState.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { ErrorAlert } from '../components/Feedback.js';
import { api, toQueryString } from '../lib/api.js';
import { useRequiredSession } from '../lib/session.js';

interface Page {
  items: InventoryItemBody[];
  total: number;
}

export function DashboardPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const institutionId = session.institution?.id;
  const counts = useQueries({
    queries: INVENTORY_STATUSES.map((status) => ({
      queryKey: ['inventory', 'count', institutionId, status],
      queryFn: () => api<Page>(`/inventory${toQueryString({ status, pageSize: 1 })}`).then((p) => p.total),
      enabled: Boolean(institutionId),
    })),
  });

  const failed = counts.find((c) => c.isError);
  const total = counts.reduce((sum, c) => sum + (c.data ?? 0), 0);

  return (
    <Stack>
      <Title order={1}>{t('dashboard.title')}</Title>
      {session.institution ? <Text c="dimmed">{session.institution.name}</Text> : null}
      {!institutionId ? (
        <PickInstitution />
      ) : failed ? (
        <ErrorAlert error={failed.error} />
      ) : counts.some((c) => c.isPending) ? (
        <Loading />
      ) : (
        <>
          <Title order={2} size="h3">
            {t('dashboard.byStatus')}
          </Title>
          <Text>
            {t('dashboard.total')}: <strong>{total}</strong>
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} component="ul" style={{ listStyle: 'none', padding: 0 }}>
            {INVENTORY_STATUSES.map((status, i) => (
              <Card component="li" withBorder key={status} padding="md">
                <Stack gap={6} align="flex-start">
                  <StatusBadge status={status} />
                  <AnchorLink to="/inventory" search={{ status }} fz="lg" fw={600}>
                    {t('dashboard.count', { count: counts[i]?.data ?? 0 })}
                    <span className="visually-hidden">{` — ${t(`status.${status}`)}`}</span>
                  </AnchorLink>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
          <AnchorLink to="/inventory">{t('dashboard.viewAll')}</AnchorLink>
        </>
      )}
    </Stack>
  );
}
