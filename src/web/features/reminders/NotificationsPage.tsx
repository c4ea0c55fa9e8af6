/** `/notifications`: the person's notification centre (mark read, mark all read) and their reminder choices. */
import { Badge, Button, Checkbox, Group, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  reminderPreferencesInputSchema,
  type NotificationBody,
  type NotificationListBody,
  type ReminderCategory,
  type ReminderPreferencesBody,
  type ReminderPreferencesInput,
} from '../../../contracts/reminders.js';
import { ErrorAlert, Feedback, useOutcome } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { AnchorLink } from '../../components/links.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';

const LIST_KEY = ['notifications', 'list'] as const;

export function NotificationsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const outcome = useOutcome();
  const list = useQuery({ queryKey: LIST_KEY, queryFn: () => api<NotificationListBody>('/me/notifications?pageSize=100') });
  const refresh = () => client.invalidateQueries({ queryKey: ['notifications'] });
  const markRead = useMutation({
    mutationFn: (id: string) => api(`/me/notifications/${id}/read`, { method: 'POST' }),
    onSuccess: refresh,
    onError: outcome.onError,
  });
  const markAll = useMutation({
    mutationFn: () => api<{ marked: number }>('/me/notifications/read-all', { method: 'POST' }),
    onSuccess: async () => {
      await refresh();
      outcome.onSaved(t('reminders.markedAll'));
    },
    onError: outcome.onError,
  });

  return (
    <Stack gap="md">
      <Title order={1}>{t('reminders.title')}</Title>
      <Text>{t('reminders.intro')}</Text>
      <Feedback error={outcome.error} success={outcome.success} />
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorAlert error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Text>{t('reminders.empty')}</Text>
      ) : (
        <>
          <Group>
            <Button variant="default" onClick={() => markAll.mutate()} loading={markAll.isPending} disabled={list.data.unread === 0}>
              {t('reminders.markAllRead')}
            </Button>
          </Group>
          <Stack component="ul" gap="xs" aria-label={t('reminders.list')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {list.data.items.map((n) => (
              <NotificationItem
                key={n.id}
                n={n}
                onRead={() => markRead.mutate(n.id)}
                pending={markRead.isPending && markRead.variables === n.id}
              />
            ))}
          </Stack>
        </>
      )}
      <ReminderChoices />
    </Stack>
  );
}

function NotificationItem({ n, onRead, pending }: { n: NotificationBody; onRead: () => void; pending: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const date = fmt.date(n.date);
  const sentence =
    n.category === 'decisions'
      ? t('reminders.sentence.decisions.waiting', { days: n.days, date })
      : n.category === 'triage'
        ? t('reminders.sentence.triage.waiting', { count: n.days, date })
        : t(`reminders.sentence.${n.category}.${n.days === 0 ? 'today' : 'inDays'}`, { days: n.days, date });
  return (
    <Paper
      component="li"
      withBorder
      p="sm"
      data-testid="notification"
      data-read={n.read ? 'true' : 'false'}
      bg={n.read ? undefined : 'blue.0'}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Group gap="xs">
            {/* Paths the server gives for this notification's record (an app, an assessment, the triage queue). */}
            <AnchorLink to={n.link as '/'} fw={600}>
              {n.subject}
            </AnchorLink>
            {n.read ? null : (
              <Badge color="blue.9" size="sm" variant="filled">
                {t('reminders.unreadBadge')}
              </Badge>
            )}
          </Group>
          <Text size="sm">{sentence}</Text>
          <Text size="xs" c="dark.4">
            {t('reminders.dayOf', { date: fmt.date(n.day) })}
          </Text>
        </Stack>
        {n.read ? null : (
          <Button
            size="compact-sm"
            variant="default"
            onClick={onRead}
            loading={pending}
            aria-label={t('reminders.markReadFor', { subject: n.subject })}
          >
            {t('reminders.markRead')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function ReminderChoices() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const outcome = useOutcome();
  const prefs = useQuery({ queryKey: ['reminder-preferences'], queryFn: () => api<ReminderPreferencesBody>('/me/reminder-preferences') });
  const form = useContractForm(reminderPreferencesInputSchema, { defaultValues: { categories: [], byEmail: true, decisionWaitDays: 7 } });
  const { reset } = form;
  useEffect(() => {
    if (!prefs.data) return;
    reset({ categories: prefs.data.categories, byEmail: prefs.data.byEmail, decisionWaitDays: prefs.data.decisionWaitDays });
  }, [prefs.data, reset]);
  const save = useMutation({
    mutationFn: (body: ReminderPreferencesInput) => api<ReminderPreferencesBody>('/me/reminder-preferences', { method: 'PUT', body }),
    onSuccess: (data) => {
      client.setQueryData(['reminder-preferences'], data);
      outcome.onSaved(t('reminders.prefs.saved'));
    },
    onError: (error) => {
      setServerErrors(form, error);
      outcome.onError(error);
    },
  });
  const { errors } = form.formState;

  return (
    <Paper component="section" withBorder p="md" aria-labelledby="reminder-choices-title">
      <Stack gap="sm">
        <Title order={2} id="reminder-choices-title" size="h3">
          {t('reminders.prefs.title')}
        </Title>
        <Text size="sm">{t('reminders.prefs.intro')}</Text>
        {prefs.isPending ? (
          <Loading />
        ) : prefs.error ? (
          <ErrorAlert error={prefs.error} />
        ) : (
          <form onSubmit={form.handleSubmit((body) => save.mutate(body))} noValidate>
            <Stack gap="sm">
              {prefs.data.isDefault ? <Text size="sm">{t('reminders.prefs.defaults')}</Text> : null}
              <Controller
                control={form.control}
                name="categories"
                render={({ field }) => (
                  <Checkbox.Group
                    label={t('reminders.prefs.categories')}
                    value={field.value}
                    onChange={(v) => field.onChange(v as ReminderCategory[])}
                    error={errorOf(errors, 'categories')}
                  >
                    <Stack gap={6} mt={6}>
                      {prefs.data.available.map((c: ReminderCategory) => (
                        <Checkbox key={c} value={c} label={t(`reminders.categories.${c}`)} />
                      ))}
                    </Stack>
                  </Checkbox.Group>
                )}
              />
              <Controller
                control={form.control}
                name="decisionWaitDays"
                render={({ field }) => (
                  <NumberInput
                    label={t('reminders.prefs.waitDays')}
                    ref={field.ref}
                    value={field.value}
                    onChange={(v) => field.onChange(typeof v === 'number' ? v : Number(v))}
                    onBlur={field.onBlur}
                    min={1}
                    max={365}
                    allowDecimal={false}
                    maw={120}
                    error={errorOf(errors, 'decisionWaitDays')}
                  />
                )}
              />
              <Switch label={t('reminders.prefs.byEmail')} {...form.register('byEmail')} />
              <Group>
                <Button type="submit" loading={save.isPending}>
                  {t('reminders.prefs.save')}
                </Button>
              </Group>
              <Feedback error={outcome.error} success={outcome.success} />
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
