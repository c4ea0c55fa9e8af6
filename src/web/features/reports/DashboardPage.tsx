/** The institution's home page: apps by status (chart and counts), reviews due, grade heat map, recent changes. */
import { Card, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { INVENTORY_STATUSES } from '../../../contracts/domain.js';
import type { DashboardBody } from '../../../contracts/reports.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading, PickInstitution } from '../../components/PageState.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { api } from '../../lib/api.js';
import { useAuditLabels } from '../../lib/audit-labels.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';
import { CHART_COLOURS } from './ReportChart.js';

export function DashboardPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const institutionId = session.institution?.id;
  const query = useQuery({
    queryKey: ['dashboard', institutionId],
    queryFn: () => api<DashboardBody>('/dashboard'),
    enabled: Boolean(institutionId),
  });
  return (
    <Stack>
      <Title order={1}>{t('dashboard.title')}</Title>
      {session.institution ? <Text c="dimmed">{session.institution.name}</Text> : null}
      {!institutionId ? (
        <PickInstitution />
      ) : query.error ? (
        <ErrorAlert error={query.error} />
      ) : !query.data ? (
        <Loading />
      ) : (
        <Dashboard d={query.data} canRunReports={!session.abilities.manageInstitutions} />
      )}
    </Stack>
  );
}

function Dashboard({ d, canRunReports }: { d: DashboardBody; canRunReports: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const auditLabels = useAuditLabels();
  const statusData = d.countsByStatus.map((c) => ({ name: t(`status.${c.status}`), count: c.count }));
  const max = Math.max(1, ...d.gradeHeatmap.cells.map((c) => c.count));
  const cell = (grade: string, status: string) => d.gradeHeatmap.cells.find((c) => c.grade === grade && c.status === status)?.count ?? 0;
  return (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="dash-status">
          <Title order={2} size="h4" id="dash-status" mb="sm">
            {t('reports.dashboard.statusChart')}
          </Title>
          <Text mb="xs">
            {t('dashboard.total')}: <strong>{d.total}</strong>
          </Text>
          <table className="visually-hidden">
            <caption>{t('reports.dashboard.statusChart')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inventory.status')}</th>
                <th scope="col">{t('reports.columns.apps')}</th>
              </tr>
            </thead>
            <tbody>
              {statusData.map((row) => (
                <tr key={row.name}>
                  <th scope="row">{row.name}</th>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <figure style={{ margin: 0, width: '100%', height: 240 }} aria-hidden="true" data-testid="dashboard-status-chart">
            <ResponsiveContainer>
              <BarChart accessibilityLayer={false} data={statusData} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" interval={0} fontSize={11} />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Bar dataKey="count" name={t('reports.columns.apps')} isAnimationActive={false}>
                  {statusData.map((_, i) => (
                    <Cell key={i} fill={CHART_COLOURS[i % CHART_COLOURS.length]} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <Group gap="xs" component="ul" style={{ listStyle: 'none', padding: 0 }}>
            {d.countsByStatus.map((c) => (
              <li key={c.status}>
                <AnchorLink to="/inventory" search={{ status: c.status }}>
                  <span aria-hidden="true">
                    <StatusBadge status={c.status} /> {c.count}
                  </span>
                  <span className="visually-hidden">{t('dashboard.statusLink', { status: t(`status.${c.status}`), count: c.count })}</span>
                </AnchorLink>
              </li>
            ))}
          </Group>
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="dash-reviews">
          <Title order={2} size="h4" id="dash-reviews" mb="sm">
            {t('reports.dashboard.reviews')}
          </Title>
          <SimpleGrid cols={2} component="dl" m={0}>
            {(
              [
                ['overdue', d.reviews.overdue],
                ['dueIn30Days', d.reviews.dueIn30Days],
                ['agreementsExpired', d.reviews.agreementsExpired],
                ['agreementsExpiring', d.reviews.agreementsExpiringIn30Days],
              ] as const
            ).map(([key, n]) => (
              <Card withBorder padding="sm" key={key}>
                <Text component="dt" size="sm" c="dimmed">
                  {t(`reports.dashboard.${key}`)}
                </Text>
                <Text component="dd" m={0} fz="xl" fw={700}>
                  {n}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
          <Title order={3} size="h5" mt="md" mb="xs">
            {t('reports.dashboard.dueSoon')}
          </Title>
          {d.dueSoon.length === 0 ? (
            <Text size="sm">{t('reports.dashboard.dueSoonEmpty')}</Text>
          ) : (
            <List size="sm" spacing={4}>
              {d.dueSoon.map((x) => (
                <List.Item key={x.id}>
                  <AnchorLink to="/inventory/$itemId" params={{ itemId: x.id }}>
                    {x.name}
                  </AnchorLink>
                  {x.nextReviewOn ? ` — ${t('reports.dashboard.nextReview', { date: format.date(x.nextReviewOn) })}` : ''}
                  {x.agreementExpiresOn ? ` — ${t('reports.dashboard.agreementExpires', { date: format.date(x.agreementExpiresOn) })}` : ''}
                </List.Item>
              ))}
            </List>
          )}
          {canRunReports ? (
            <AnchorLink to="/reports" mt="sm" display="inline-block">
              {t('reports.dashboard.reportsLink')}
            </AnchorLink>
          ) : null}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="dash-heat">
        <Title order={2} size="h4" id="dash-heat" mb="sm">
          {t('reports.dashboard.heatmap')}
        </Title>
        <Table.ScrollContainer minWidth={600}>
          <Table withTableBorder withColumnBorders data-testid="grade-heatmap">
            <Table.Caption>{t('reports.dashboard.heatmapCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reports.dashboard.grade')}</Table.Th>
                {INVENTORY_STATUSES.map((s) => (
                  <Table.Th scope="col" key={s}>
                    {t(`status.${s}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.gradeHeatmap.grades.map((g) => (
                <Table.Tr key={g}>
                  <Table.Th scope="row">{t(`gradeShort.${g}`)}</Table.Th>
                  {INVENTORY_STATUSES.map((s) => {
                    const n = cell(g, s);
                    // Intensity of blue by count; text stays dark on light cells and white on dark ones.
                    const alpha = n === 0 ? 0 : 0.12 + 0.78 * (n / max);
                    return (
                      <Table.Td
                        key={s}
                        ta="center"
                        style={{ background: `rgba(0, 90, 160, ${alpha.toFixed(2)})`, color: alpha > 0.5 ? '#fff' : undefined }}
                      >
                        {n}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {d.canSeeChanges ? (
        <Paper withBorder p="md" component="section" aria-labelledby="dash-changes">
          <Title order={2} size="h4" id="dash-changes" mb="sm">
            {t('reports.dashboard.recentChanges')}
          </Title>
          {d.recentChanges.length === 0 ? (
            <Text size="sm">{t('reports.dashboard.noChanges')}</Text>
          ) : (
            <List size="sm" spacing={4}>
              {d.recentChanges.map((c) => (
                <List.Item key={c.id}>
                  <time dateTime={c.at}>{format.dateTime(c.at)}</time> — {c.actorLabel} — {auditLabels.action(c.action)}
                  {c.recordName ? ` — ${c.recordName}` : ''}
                </List.Item>
              ))}
            </List>
          )}
        </Paper>
      ) : null}
    </>
  );
}
