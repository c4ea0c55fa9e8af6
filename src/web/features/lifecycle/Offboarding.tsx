/**
 * The end of service of an institution: its phase (a badge and a sentence), the platform admin's
 * dialog to set, confirm or cancel it, and the site admin's request.
 */
import { Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  offboardingDateInputSchema,
  offboardingInputSchema,
  offboardingRequestSchema,
  type OffboardingBody,
  type OffboardingPhase,
} from '../../../contracts/lifecycle.js';
import { Feedback } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useFormat } from '../../lib/format.js';
import { endOfServiceFrom, offboardingQuery, useOffboard, useRequestOffboarding, type OffboardingInput } from './api.js';

const PHASE_COLORS: Record<OffboardingPhase | 'active', string> = {
  active: 'green',
  requested: 'blue',
  scheduled: 'yellow',
  read_only: 'orange',
  purging: 'red',
};

export function PhaseBadge({ offboarding }: { offboarding: OffboardingBody | null | undefined }) {
  const { t } = useTranslation();
  const phase = offboarding?.phase ?? 'active';
  return (
    <Badge variant="light" color={PHASE_COLORS[phase]}>
      {t(`lifecycle.phase.${phase}`)}
    </Badge>
  );
}

/** One sentence: when the institution becomes read-only, until when, or that it waits for confirmation. */
export function PhaseDetail({ offboarding: o }: { offboarding: OffboardingBody }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Text size="sm" c="dimmed">
      {t(`lifecycle.detail.${o.phase}`, {
        requested: format.date(o.requestedAt),
        end: format.date(o.endOfServiceAt),
        purgeAfter: format.date(o.purgeAfter),
      })}
    </Text>
  );
}

/** The phase and its sentence, side by side. */
function PhaseSummary({ offboarding }: { offboarding: OffboardingBody | null }) {
  return (
    <Group gap="sm">
      <PhaseBadge offboarding={offboarding} />
      {offboarding ? <PhaseDetail offboarding={offboarding} /> : null}
    </Group>
  );
}

/** A day typed in a date field, as the end of service the API takes (none for an empty field). */
const asEndOfService = (day: string | undefined) => endOfServiceFrom(day ?? '');

/**
 * The date and contact fields, shared by the operator's dialog (`offboardingInputSchema`) and the
 * institution's request (`offboardingRequestSchema`, nearer dates).
 */
function OffboardingFields({
  schema,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  schema: typeof offboardingInputSchema | typeof offboardingRequestSchema;
  initial: { contactEmail: string };
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: OffboardingInput) => void;
}) {
  const { t } = useTranslation();
  const form = useContractForm(schema as typeof offboardingInputSchema, { defaultValues: { contactEmail: initial.contactEmail } });
  const { errors } = form.formState;
  useEffect(() => {
    if (error) setServerErrors(form, error);
  }, [error, form]);
  const submit = form.handleSubmit((input) => onSubmit(input));
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <TextInput
        label={t('lifecycle.offboard.endOfService')}
        description={t('lifecycle.offboard.endOfServiceHint')}
        type="date"
        {...form.register('endOfServiceAt', { setValueAs: asEndOfService })}
        error={errorOf(errors, 'endOfServiceAt')}
      />
      <TextInput
        label={t('lifecycle.offboard.contactEmail')}
        type="email"
        required
        maxLength={254}
        {...form.register('contactEmail')}
        error={errorOf(errors, 'contactEmail')}
      />
      <Group>
        <Button type="submit" color="red" loading={pending}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** `YYYY-MM-DD` of the day after today, in local time: the earliest day an end of service can move to. */
function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Platform admins: move a scheduled end of service to another day still ahead (the grace period follows). */
function ChangeDate({
  offboarding,
  pending,
  error,
  onSubmit,
}: {
  offboarding: OffboardingBody;
  pending: boolean;
  error: unknown;
  onSubmit: (endOfServiceAt: string) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const form = useContractForm(offboardingDateInputSchema);
  const { errors } = form.formState;
  const { setFocus } = form;
  // Keyboard users land in the date field when the form opens.
  useEffect(() => {
    if (open) setFocus('endOfServiceAt');
  }, [open, setFocus]);
  useEffect(() => {
    if (error) setServerErrors(form, error);
  }, [error, form]);
  if (!open) {
    return (
      <Group>
        <Button variant="default" onClick={() => setOpen(true)}>
          {t('lifecycle.offboard.changeDate')}
        </Button>
      </Group>
    );
  }
  const submit = form.handleSubmit(({ endOfServiceAt }) => onSubmit(endOfServiceAt));
  return (
    <Stack component="form" onSubmit={submit} gap="sm" aria-label={t('lifecycle.offboard.changeDate')}>
      <TextInput
        label={t('lifecycle.offboard.newEndOfService')}
        description={t('lifecycle.offboard.newEndOfServiceHint', { current: format.date(offboarding.endOfServiceAt) })}
        type="date"
        required
        min={tomorrow()}
        {...form.register('endOfServiceAt', { setValueAs: asEndOfService })}
        error={errorOf(errors, 'endOfServiceAt')}
      />
      <Group>
        <Button type="submit" loading={pending}>
          {t('lifecycle.offboard.saveDate')}
        </Button>
        <Button variant="subtle" onClick={() => setOpen(false)}>
          {t('lifecycle.offboard.keepDate')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Platform admins: set or confirm the end of service of an institution, follow it, cancel it during the grace period. */
export function OffboardingDialog({
  institution,
  onDone,
}: {
  institution: { id: string; name: string };
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const current = useQuery(offboardingQuery(institution.id));
  const { set, move, cancel, purge } = useOffboard(institution.id);
  if (current.isPending) return <Loading />;
  const o = current.data ?? null;
  const done = (key: 'saved' | 'moved' | 'cancelled' | 'purgeStarted') => () =>
    onDone(t(`lifecycle.offboard.${key}`, { name: institution.name }));
  return (
    <Stack>
      <PhaseSummary offboarding={o} />
      <Text size="sm">{t('lifecycle.offboard.intro')}</Text>
      <Feedback error={set.error ?? move.error ?? cancel.error ?? purge.error ?? current.error} />
      {!o || o.phase === 'requested' ? (
        <OffboardingFields
          schema={offboardingInputSchema}
          initial={{ contactEmail: o?.contactEmail ?? '' }}
          submitLabel={o ? t('lifecycle.offboard.confirmRequest') : t('lifecycle.offboard.set')}
          pending={set.isPending}
          error={set.error}
          onSubmit={(input) => set.mutate(input, { onSuccess: done('saved') })}
        />
      ) : null}
      {o?.phase === 'scheduled' ? (
        <ChangeDate
          offboarding={o}
          pending={move.isPending}
          error={move.error}
          onSubmit={(end) => move.mutate(end, { onSuccess: done('moved') })}
        />
      ) : null}
      {o && o.phase !== 'purging' ? (
        <Group>
          <Button variant="default" loading={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSuccess: done('cancelled') })}>
            {t('lifecycle.offboard.cancel')}
          </Button>
        </Group>
      ) : null}
      {o?.phase === 'read_only' && new Date(o.purgeAfter).getTime() <= Date.now() ? (
        <Stack gap="xs">
          <Text size="sm">{t('lifecycle.offboard.purgeNowHint')}</Text>
          <Group>
            <Button color="red" loading={purge.isPending} onClick={() => purge.mutate(undefined, { onSuccess: done('purgeStarted') })}>
              {t('lifecycle.offboard.purgeNow')}
            </Button>
          </Group>
        </Stack>
      ) : null}
      {o?.phase === 'purging' ? <Text size="sm">{t('lifecycle.offboard.noCancel')}</Text> : null}
    </Stack>
  );
}

/** Site admins (settings page): ask for the end of service, then see where it stands. */
export function OffboardingRequest({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const current = useQuery(offboardingQuery(institutionId));
  const request = useRequestOffboarding();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="end-of-service">
      <Stack>
        <Title order={2} size="h3" id="end-of-service">
          {t('lifecycle.request.heading')}
        </Title>
        {current.isPending ? (
          <Loading />
        ) : current.data ? (
          <PhaseSummary offboarding={current.data} />
        ) : (
          <>
            <Text size="sm">{t('lifecycle.request.intro')}</Text>
            <Feedback error={request.error ?? current.error} />
            <OffboardingFields
              schema={offboardingRequestSchema}
              initial={{ contactEmail: '' }}
              submitLabel={t('lifecycle.request.submit')}
              pending={request.isPending}
              error={request.error}
              onSubmit={(input) => request.mutate(input)}
            />
          </>
        )}
        <Feedback success={request.isSuccess ? t('lifecycle.request.sent') : null} />
      </Stack>
    </Paper>
  );
}
