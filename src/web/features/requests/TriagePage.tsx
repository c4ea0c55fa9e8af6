/** `/requests`: the privacy office's triage queue of staff requests: accept into review, merge duplicates, decline. */
import { Badge, Button, Group, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STAFF_REQUEST_STATUSES, type StaffRequest, type StaffRequestStatus } from '../../../contracts/requests.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading } from '../../components/PageState.js';
import { api, fieldError, toQueryString } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';

const key = ['staff-requests'] as const;

export function TriagePage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StaffRequestStatus | 'all'>('waiting');
  const list = useQuery({
    queryKey: [...key, status],
    queryFn: () => api<{ items: StaffRequest[] }>(`/staff-requests${toQueryString({ status: status === 'all' ? undefined : status })}`),
  });
  const all = useQuery({ queryKey: [...key, 'all'], queryFn: () => api<{ items: StaffRequest[] }>('/staff-requests') });

  return (
    <Stack>
      <Title order={1}>{t('staffRequests.triage.title')}</Title>
      <Text>{t('staffRequests.triage.intro')}</Text>
      <Select
        label={t('staffRequests.triage.filter')}
        w={280}
        allowDeselect={false}
        value={status}
        onChange={(v) => setStatus((v ?? 'waiting') as StaffRequestStatus | 'all')}
        data={[...STAFF_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`staffRequests.triage.statusLabel.${s}`) })), { value: 'all', label: t('staffRequests.triage.all') }]}
      />
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorAlert error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('staffRequests.triage.empty')}</Text>
      ) : (
        list.data.items.map((r) => <RequestCard key={r.id} request={r} others={(all.data?.items ?? []).filter((o) => o.id !== r.id && (o.status === 'waiting' || o.status === 'accepted'))} />)
      )}
    </Stack>
  );
}

function RequestCard({ request: r, others }: { request: StaffRequest; others: StaffRequest[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const session = useRequiredSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const [into, setInto] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const done = (text: string) => () => {
    setMessage(text);
    void queryClient.invalidateQueries({ queryKey: key });
  };
  // Accepted: straight to the new, pre-filled assessment.
  const accept = useMutation({
    mutationFn: () => api<StaffRequest>(`/staff-requests/${r.id}/accept`, { method: 'POST', body: {} }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: key });
      if (saved.assessmentId) void navigate({ to: '/assessments/$assessmentId', params: { assessmentId: saved.assessmentId } });
    },
  });
  const merge = useMutation({ mutationFn: () => api<StaffRequest>(`/staff-requests/${r.id}/merge`, { method: 'POST', body: { intoId: into } }), onSuccess: done(t('staffRequests.triage.mergedDone')) });
  const decline = useMutation({ mutationFn: () => api<StaffRequest>(`/staff-requests/${r.id}/decline`, { method: 'POST', body: { reason } }), onSuccess: done(t('staffRequests.triage.declinedDone')) });
  const error = accept.error ?? merge.error ?? decline.error;
  const canTriage = session.abilities.manageInventory && r.status === 'waiting';
  const headingId = `request-${r.id}`;

  return (
    <Paper component="article" withBorder p="md" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4" id={headingId}>
            {r.appName}
            {r.appVendor ? ` — ${r.appVendor}` : ''}
          </Title>
          <Badge variant="light">{t(`staffRequests.triage.statusLabel.${r.status}`)}</Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t('staffRequests.triage.received', { date: fmt.dateTime(r.createdAt) })}
          {r.catalogAppId ? '' : ` · ${t('staffRequests.triage.custom')}`}
        </Text>
        <Text>
          <strong>{t('staffRequests.triage.purpose')}:</strong> {r.purpose}
        </Text>
        <Text size="sm">
          <strong>{t('staffRequests.triage.grades')}:</strong> {fmt.list(r.grades.map((g) => t(`grade.${g}`)))} · <strong>{t('staffRequests.triage.audiences')}:</strong>{' '}
          {fmt.list(r.audiences.map((a) => t(`audience.${a}`)))} · <strong>{t('staffRequests.triage.students')}:</strong> {r.studentCount ?? '—'}
        </Text>
        <Text size="sm">
          <strong>{t('staffRequests.triage.dataElements')}:</strong> {fmt.list(r.dataElements.map((d) => t(`dataElement.${d}`)))}
        </Text>
        {r.awaitsMail ? <Text size="sm">{t('staffRequests.triage.awaitsMail')}</Text> : null}
        {r.declineReason ? (
          <Text size="sm">
            <strong>{t('staffRequests.triage.reason')}:</strong> {r.declineReason}
          </Text>
        ) : null}
        <Group>
          {r.assessmentId ? (
            <AnchorLink to="/assessments/$assessmentId" params={{ assessmentId: r.assessmentId }}>
              {t('staffRequests.triage.openAssessment')}
            </AnchorLink>
          ) : null}
          {r.inventoryItemId ? (
            <AnchorLink to="/inventory/$itemId" params={{ itemId: r.inventoryItemId }}>
              {t('staffRequests.triage.openItem')}
            </AnchorLink>
          ) : null}
        </Group>
        <Feedback success={message} error={error} />
        {canTriage ? (
          <Stack gap="xs">
            <Group>
              <Button onClick={() => accept.mutate()} loading={accept.isPending}>
                {t('staffRequests.triage.accept')}
              </Button>
            </Group>
            {others.length ? (
              <Group align="flex-end">
                <Select
                  label={t('staffRequests.triage.mergeInto')}
                  data={others.map((o) => ({ value: o.id, label: `${o.appName} (${fmt.date(o.createdAt)})` }))}
                  value={into}
                  onChange={setInto}
                  error={fieldError(fieldsOf(merge.error), 'intoId')}
                  w={320}
                />
                <Button variant="default" onClick={() => merge.mutate()} loading={merge.isPending} disabled={!into}>
                  {t('staffRequests.triage.merge')}
                </Button>
              </Group>
            ) : null}
            <Group align="flex-end">
              <Textarea label={t('staffRequests.triage.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(fieldsOf(decline.error), 'reason')} w={420} autosize minRows={1} />
              <Button variant="default" color="red" onClick={() => decline.mutate()} loading={decline.isPending}>
                {t('staffRequests.triage.decline')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
