/** `/audit` (site admins): the institution's audit log, filterable, with a check of its hash chain. */
import { Alert, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager } from '../../components/Pager.js';
import type { z } from 'zod';
import type { AuditEventBody } from '../../../contracts/api.js';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES } from '../../../contracts/audit.js';
import type { chainReportSchema } from '../../../contracts/lifecycle.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { api, toQueryString } from '../../lib/api.js';
import { useAuditLabels } from '../../lib/audit-labels.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';

interface Page {
  items: AuditEventBody[];
  total: number;
  page: number;
  pageSize: number;
}
type ChainReport = z.infer<typeof chainReportSchema>;

export function AuditLogPage() {
  const { t } = useTranslation();
  const labels = useAuditLabels();
  const format = useFormat();
  const session = useRequiredSession();
  const [recordType, setRecordType] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const allowed = session.abilities.manageUsers && Boolean(session.institution);
  const query = useQuery({
    queryKey: ['audit', recordType, action, page],
    queryFn: () =>
      api<Page>(`/audit${toQueryString({ recordType: recordType ?? undefined, action: action ?? undefined, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  const verify = useMutation({ mutationFn: () => api<ChainReport>('/audit/verify') });
  if (!session.institution) return <PickInstitution title={t('audit.title')} />;
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="lg">
      <Title order={1}>{t('audit.title')}</Title>
      <Text c="dimmed">{t('audit.intro')}</Text>
      <Paper withBorder p="md">
        <Group align="flex-end">
          <Select
            label={t('audit.recordType')}
            data={AUDIT_RECORD_TYPES.map((r) => ({ value: r, label: labels.recordType(r) }))}
            value={recordType}
            clearable
            onChange={(v) => {
              setRecordType(v);
              setPage(1);
            }}
          />
          <Select
            label={t('audit.action')}
            data={AUDIT_ACTIONS.map((a) => ({ value: a, label: labels.action(a) }))}
            value={action}
            searchable
            clearable
            onChange={(v) => {
              setAction(v);
              setPage(1);
            }}
          />
          <Button variant="light" onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('audit.verify')}
          </Button>
        </Group>
      </Paper>
      <div role="status" aria-live="polite">
        {verify.data ? (
          <Alert color={verify.data.ok ? 'green' : 'red'} variant="light">
            {verify.data.ok
              ? `${t('audit.chainOk', { count: verify.data.events })}${verify.data.sealed ? ` ${t('audit.sealedOk', { count: verify.data.sealed })}` : ''}`
              : t('audit.chainBroken', {
                  seq: verify.data.brokenAt?.seq ?? verify.data.brokenAt?.id ?? '?',
                  reason: verify.data.brokenAt ? t(`audit.reason.${verify.data.brokenAt.reason}`) : '',
                })}
          </Alert>
        ) : null}
      </div>
      {verify.error ? <ErrorAlert error={verify.error} /> : null}
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <Stack>
          <Table striped aria-label={t('audit.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.who')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.recordType')}</Table.Th>
                <Table.Th>{t('audit.changed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{format.dateTime(e.at)}</Table.Td>
                  <Table.Td>
                    {labels.actor(e.actorLabel)}{' '}
                    <Text span size="xs" c="dimmed">
                      ({labels.role(e.actorRole)})
                    </Text>
                  </Table.Td>
                  <Table.Td>{labels.action(e.action)}</Table.Td>
                  <Table.Td>{labels.recordType(e.recordType)}</Table.Td>
                  <Table.Td>{Object.keys(e.changes).map(labels.field).join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Pager page={page} pageSize={query.data.pageSize} total={query.data.total} onChange={setPage} />
        </Stack>
      )}
    </Stack>
  );
}
