/**
 * Settings panel (site admins): let the operator's staff read the institution's data for a limited
 * time (read-only support access), see every grant, and end one early. Each use is in the audit log.
 */
import { Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { supportGrantCreateSchema, type SupportGrantBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { ListTable } from '../../components/ListTable.js';
import { api } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useFormat } from '../../lib/format.js';

const supportAccessKey = ['support-access'];
const supportAccessQuery = {
  queryKey: supportAccessKey,
  queryFn: () => api<{ items: SupportGrantBody[] }>('/support-access').then((r) => r.items),
};
/** The durations offered, in hours (the server accepts 1 hour to 7 days). */
const DURATIONS = [1, 4, 24, 72, 168] as const;

export function SupportAccess() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const grants = useQuery(supportAccessQuery);
  const form = useContractForm(supportGrantCreateSchema, { defaultValues: { hours: 4, reason: '' } });
  const [message, setMessage] = useState<string | null>(null);
  const grant = useMutation({
    mutationFn: (body: z.output<typeof supportGrantCreateSchema>) => api<SupportGrantBody>('/support-access', { method: 'POST', body }),
    onMutate: () => setMessage(null),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: supportAccessKey });
      form.reset({ hours: form.getValues('hours'), reason: '' });
      setMessage(t('supportAccess.granted', { until: format.dateTime(saved.expiresAt) }));
    },
    onError: (error) => setServerErrors(form, error),
  });
  const revoke = useMutation({
    mutationFn: (g: SupportGrantBody) => api<SupportGrantBody>(`/support-access/${g.id}`, { method: 'DELETE' }),
    onMutate: () => setMessage(null),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: supportAccessKey });
      setMessage(t('supportAccess.revoked'));
    },
  });
  const onSubmit = form.handleSubmit((body) => grant.mutate(body));
  const { errors } = form.formState;

  return (
    <Paper component="section" withBorder p="md" aria-labelledby="support-access-heading">
      <Stack>
        <Title order={2} size="h3" id="support-access-heading">
          {t('supportAccess.title')}
        </Title>
        <Text size="sm">{t('supportAccess.intro')}</Text>
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <Group align="flex-start" grow>
              <Controller
                control={form.control}
                name="hours"
                render={({ field }) => (
                  <Select
                    label={t('supportAccess.duration')}
                    data={DURATIONS.map((h) => ({ value: String(h), label: t(`supportAccess.durations.h${h}`) }))}
                    ref={field.ref}
                    value={String(field.value)}
                    onChange={(v) => field.onChange(Number(v ?? 4))}
                    onBlur={field.onBlur}
                    allowDeselect={false}
                    error={errorOf(errors, 'hours')}
                  />
                )}
              />
              <TextInput
                label={t('supportAccess.reason')}
                description={t('supportAccess.reasonHint')}
                {...form.register('reason')}
                error={errorOf(errors, 'reason')}
                required
                maxLength={500}
              />
            </Group>
            <Group>
              <Button type="submit" loading={grant.isPending}>
                {t('supportAccess.grant')}
              </Button>
            </Group>
          </Stack>
        </form>
        <Feedback success={message} error={grant.error ?? revoke.error} />
        <ListTable
          query={grants}
          caption={t('supportAccess.listCaption')}
          empty={t('supportAccess.none')}
          minWidth={640}
          columns={[
            t('supportAccess.reason'),
            t('supportAccess.grantedBy'),
            t('supportAccess.until'),
            t('supportAccess.status'),
            { label: t('users.actions'), visuallyHidden: true },
          ]}
        >
          {(items) =>
            items.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Th scope="row" fw={500}>
                  {g.reason}
                </Table.Th>
                <Table.Td>
                  {g.grantedBy?.name ?? '—'}
                  <Text size="xs" c="dimmed">
                    {format.dateTime(g.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>{format.dateTime(g.revokedAt ?? g.expiresAt)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={g.status === 'active' ? 'orange' : 'gray'}>
                    {t(`supportAccess.statuses.${g.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {g.status === 'active' ? (
                    <Button
                      size="xs"
                      variant="default"
                      color="red"
                      aria-label={t('supportAccess.revokeFor', { reason: g.reason })}
                      loading={revoke.isPending && revoke.variables.id === g.id}
                      onClick={() => revoke.mutate(g)}
                    >
                      {t('supportAccess.revoke')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))
          }
        </ListTable>
      </Stack>
    </Paper>
  );
}
