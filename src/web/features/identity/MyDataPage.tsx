/**
 * `/me` (everyone): the rights of individuals — see everything held about me, correct my name and
 * email, download it as JSON, erase my account.
 */
import { Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { meUpdateSchema, type MyDataBody } from '../../../contracts/lifecycle.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { api, API_BASE } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useAuditLabels } from '../../lib/audit-labels.js';
import { useFormat } from '../../lib/format.js';
import { fieldsOf } from '../../lib/errors.js';
import { sessionKey, useStoreSession } from '../../lib/session.js';

const myDataKey = ['me', 'data'] as const;

export function MyDataPage() {
  const { t } = useTranslation();
  const labels = useAuditLabels();
  const format = useFormat();
  const data = useQuery({ queryKey: myDataKey, queryFn: () => api<MyDataBody>('/me/data') });
  if (data.isPending) return <Loading />;
  if (data.isError) return <ErrorAlert error={data.error} />;
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={1}>{t('me.title')}</Title>
        <Text c="dimmed">{t('me.intro')}</Text>
      </Stack>
      <ProfileForm profile={data.data.profile} />
      <Paper withBorder p="md">
        <Stack>
          <Title order={2} size="h3">
            {t('me.heldTitle')}
          </Title>
          <Text size="sm">{data.data.institution ? t('me.institution', { name: data.data.institution.name }) : t('me.noInstitution')}</Text>
          <Title order={3} size="h4">
            {t('me.sessions')}
          </Title>
          <Table striped aria-label={t('me.sessions')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('me.signedInAt')}</Table.Th>
                <Table.Th>{t('me.lastSeen')}</Table.Th>
                <Table.Th>{t('me.expires')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.sessions.map((s) => (
                <Table.Tr key={s.createdAt}>
                  <Table.Td>
                    {format.dateTime(s.createdAt)} {s.current ? `(${t('me.thisSession')})` : ''}
                  </Table.Td>
                  <Table.Td>{format.dateTime(s.lastSeenAt)}</Table.Td>
                  <Table.Td>{format.dateTime(s.expiresAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h4">
            {t('me.reminders')}
          </Title>
          <Text size="sm" data-testid="my-reminders">
            {data.data.reminderPreferences
              ? t('me.remindersChosen', { count: data.data.reminderPreferences.categories.length })
              : t('me.remindersDefault')}{' '}
            {t('me.notificationsHeld', { count: data.data.notifications.length })}
          </Text>
          <Title order={3} size="h4">
            {t('me.events', { count: data.data.auditEvents.length })}
          </Title>
          <Table striped aria-label={t('me.eventsLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('me.when')}</Table.Th>
                <Table.Th>{t('me.action')}</Table.Th>
                <Table.Th>{t('me.record')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.auditEvents
                .slice(-50)
                .reverse()
                .map((e, i) => (
                  <Table.Tr key={`${e.at}-${i}`}>
                    <Table.Td>{format.dateTime(e.at)}</Table.Td>
                    <Table.Td>{labels.action(e.action)}</Table.Td>
                    <Table.Td>{labels.recordType(e.recordType)}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button component="a" href={`${API_BASE}/me/export`} download variant="light">
              {t('me.download')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <EraseAccount />
    </Stack>
  );
}

function ProfileForm({ profile }: { profile: MyDataBody['profile'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useContractForm(meUpdateSchema, { defaultValues: { firstName: profile.firstName, lastName: profile.lastName } });
  const [message, setMessage] = useState<string | null>(null);
  const { reset } = form;
  useEffect(() => reset({ firstName: profile.firstName, lastName: profile.lastName }), [profile, reset]);
  const save = useMutation({
    mutationFn: (body: z.output<typeof meUpdateSchema>) => api('/me', { method: 'PATCH', body }),
    onError: (error) => setServerErrors(form, error),
    onSuccess: () => {
      setMessage(t('me.saved'));
      void queryClient.invalidateQueries({ queryKey: myDataKey });
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
  const fields = fieldsOf(save.error);
  const onSubmit = form.handleSubmit((body) => {
    setMessage(null);
    save.mutate(body);
  });
  return (
    <Paper withBorder p="md" component="form" onSubmit={onSubmit} noValidate aria-labelledby="me-profile">
      <Stack>
        <Title order={2} size="h3" id="me-profile">
          {t('me.profile')}
        </Title>
        <Feedback error={save.error && !Object.keys(fields).length ? save.error : null} success={message} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('me.firstName')}
            {...form.register('firstName')}
            maxLength={100}
            required
            error={errorOf(form.formState.errors, 'firstName')}
          />
          <TextInput
            label={t('me.lastName')}
            {...form.register('lastName')}
            maxLength={100}
            required
            error={errorOf(form.formState.errors, 'lastName')}
          />
          <TextInput label={t('me.email')} type="email" value={profile.email} readOnly description={t('me.emailHint')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('me.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function EraseAccount() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const store = useStoreSession();
  const navigate = useNavigate();
  const erase = useMutation({
    mutationFn: () => api('/me', { method: 'DELETE' }),
    onSuccess: () => {
      store(null);
      void navigate({ to: '/sign-in' });
    },
  });
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h3">
          {t('me.eraseTitle')}
        </Title>
        <Text size="sm">{t('me.eraseExplain')}</Text>
        {erase.error && !open ? <ErrorAlert error={erase.error} /> : null}
        <Group>
          <Button color="red" variant="outline" onClick={() => setOpen(true)}>
            {t('me.erase')}
          </Button>
        </Group>
      </Stack>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('me.eraseConfirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text size="sm">{t('me.eraseConfirm')}</Text>
          {erase.error ? <ErrorAlert error={erase.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('me.cancel')}
            </Button>
            <Button color="red" loading={erase.isPending} onClick={() => erase.mutate()}>
              {t('me.eraseNow')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
