/** Full export of the institution's data: start one, watch its progress, download it before the link expires. */
import { Alert, Anchor, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DataExportBody } from '../../../contracts/reports.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { API_BASE, api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';

export function ExportsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  if (!session.institution) return <PickInstitution title={t('reports.exports.title')} />;
  if (!session.abilities.manageUsers || session.abilities.manageInstitutions) return <NotPermitted />;
  return <Exports />;
}

function Exports() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const preparing = (items: readonly DataExportBody[] | undefined) =>
    items?.some((e) => e.status === 'queued' || e.status === 'running') ?? false;
  const list = useQuery({
    queryKey: ['exports'],
    // While an export is being prepared, the server answers as soon as it is ready (or after a second
    // with its progress), and the list is asked again at once: the link shows the moment the file is.
    queryFn: () =>
      api<{ items: DataExportBody[] }>(
        preparing(client.getQueryData<{ items: DataExportBody[] }>(['exports'])?.items) ? '/exports?wait=1' : '/exports',
      ),
    refetchInterval: (q) => (preparing(q.state.data?.items) ? 100 : false),
  });
  const start = useMutation({
    // The file speaks the language the page is read in.
    mutationFn: (fmt: 'xlsx' | 'csv') =>
      api<DataExportBody>('/exports', { method: 'POST', body: { format: fmt, lang: i18n.language.startsWith('fr') ? 'fr' : 'en' } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['exports'] }),
  });
  const busy = list.data?.items.some((e) => e.status === 'queued' || e.status === 'running') ?? false;
  // What to say of the export just started follows its status in the list (polled while it is prepared).
  const mine = start.data ? list.data?.items.find((e) => e.id === start.data.id) : undefined;
  const progress = !start.isSuccess
    ? undefined
    : mine?.status === 'ready'
      ? t('reports.exports.finished')
      : mine?.status === 'failed' || mine?.status === 'expired'
        ? undefined
        : t('reports.exports.started');
  const failedNow = mine?.status === 'failed';
  return (
    <Stack>
      <Title order={1}>{t('reports.exports.title')}</Title>
      <Text>{t('reports.exports.intro')}</Text>
      <Text size="sm">{t('reports.exports.documents')}</Text>
      <Group>
        <Button onClick={() => start.mutate('xlsx')} loading={start.isPending && start.variables === 'xlsx'} disabled={busy}>
          {t('reports.exports.startXlsx')}
        </Button>
        <Button
          variant="default"
          onClick={() => start.mutate('csv')}
          loading={start.isPending && start.variables === 'csv'}
          disabled={busy}
        >
          {t('reports.exports.startCsv')}
        </Button>
      </Group>
      <Feedback error={start.error} success={progress} />
      {failedNow ? (
        <Alert color="red" role="alert">
          {t('reports.exports.failed')}
        </Alert>
      ) : null}
      <Title order={2} size="h3">
        {t('reports.exports.recent')}
      </Title>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.isPending ? (
        <Loading />
      ) : !list.data || list.data.items.length === 0 ? (
        <Text>{t('reports.exports.none')}</Text>
      ) : (
        <Table withTableBorder data-testid="exports-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('reports.exports.created')}</Table.Th>
              <Table.Th scope="col">{t('reports.exports.format')}</Table.Th>
              <Table.Th scope="col">{t('reports.exports.status')}</Table.Th>
              <Table.Th scope="col">{t('reports.exports.progress')}</Table.Th>
              <Table.Th scope="col">{t('reports.exports.download')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{format.dateTime(e.createdAt)}</Table.Td>
                <Table.Td>{t(`reports.exports.formats.${e.format}`)}</Table.Td>
                <Table.Td>{t(`reports.exports.statuses.${e.status}`)}</Table.Td>
                <Table.Td miw={160}>
                  <Progress value={e.percent} aria-label={t('reports.exports.progressLabel', { percent: e.percent })} />
                  <Text size="xs">{t('reports.exports.progressLabel', { percent: e.percent })}</Text>
                </Table.Td>
                <Table.Td>
                  {e.downloadUrl ? (
                    <Stack gap={2}>
                      <Anchor href={e.downloadUrl} download>
                        {t('reports.exports.downloadFile', { name: e.fileName ?? '' })}
                      </Anchor>
                      {e.expiresAt ? <Text size="xs">{t('reports.exports.expires', { date: format.dateTime(e.expiresAt) })}</Text> : null}
                    </Stack>
                  ) : e.error ? (
                    <Text size="sm">{e.error}</Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={2} size="h3">
        {t('reports.exports.archive.title')}
      </Title>
      <Text>{t('reports.exports.archive.intro')}</Text>
      <Group>
        <Button component="a" href={`${API_BASE}/institution/archive`} download variant="default">
          {t('reports.exports.archive.download')}
        </Button>
      </Group>
    </Stack>
  );
}
