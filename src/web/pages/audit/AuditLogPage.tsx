/** `/audit` (site admins): the institution's audit log, filterable, with a check of its hash chain. */
import { Alert, Button, Code, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager } from '../../components/Pager.js';
import type { z } from 'zod';
import type { AuditEventBody } from '../../../contracts/api.js';
import type { chainReportSchema } from '../../../contracts/lifecycle.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { api, toQueryString } from '../../lib/api.js';
import { useRequiredSession } from '../../lib/session.js';

const RECORD_TYPES = ['institution', 'user', 'invitation', 'inventory_item', 'assessment'] as const;
interface Page {
  items: AuditEventBody[];
  total: number;
  page: number;
  pageSize: number;
}
type ChainReport = z.infer<typeof chainReportSchema>;

export function AuditLogPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const [recordType, setRecordType] = useState<string | null>(null);
  const [action, setAction] = useState('');
  const [page, setPage] = useState(1);
  const allowed = session.abilities.manageUsers && Boolean(session.institution);
  const query = useQuery({
    queryKey: ['audit', recordType, action, page],
    queryFn: () =>
      api<Page>(`/audit${toQueryString({ recordType: recordType ?? undefined, action: action.trim() || undefined, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  const verify = useMutation({ mutationFn: () => api<ChainReport>('/audit/verify') });
  if (!session.institution) return <PickInstitution />;
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="lg">
      <Title order={1}>{t('audit.title')}</Title>
      <Text c="dimmed">{t('audit.intro')}</Text>
      <Paper withBorder p="md">
        <Group align="flex-end">
          <Select
            label={t('audit.recordType')}
            data={RECORD_TYPES.map((r) => ({ value: r, label: r }))}
            value={recordType}
            clearable
            onChange={(v) => {
              setRecordType(v);
              setPage(1);
            }}
          />
          <TextInput
            label={t('audit.action')}
            value={action}
            maxLength={100}
            placeholder="inventory.update"
            onChange={(e) => {
              setAction(e.currentTarget.value);
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
                  <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                  <Table.Td>
                    {e.actorLabel}{' '}
                    <Text span size="xs" c="dimmed">
                      ({e.actorRole})
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                  </Table.Td>
                  <Table.Td>{e.recordType}</Table.Td>
                  <Table.Td>{Object.keys(e.changes).join(', ')}</Table.Td>
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
