/** `/account`: two-step verification, where I am signed in, password and email changes. */
import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Feedback } from '../../components/Feedback.js';
import { PasswordField } from '../../components/PasswordField.js';
import { Loading } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { OneTimeCodeField } from './fields.js';
import { fieldErrorsOf } from '../../lib/errors.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { formatDateTime } from '../../lib/format.js';
import { useStoreSession } from '../../lib/session.js';
import type { SessionBody } from '../../../contracts/api.js';
import { emailChangeSchema, mfaCodeSchema, passwordChangeSchema } from '../../../contracts/auth.js';
import { EnrolmentKey, RecoveryCodes } from './SignInPage.js';
import { useAccountMutation, useAccountSecurity, useAccountSessions, type Enrolment } from './api.js';

export function AccountPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={760}>
      <Title order={1}>{t('identity.account.title')}</Title>
      <MfaSection />
      <SessionsSection />
      <PasswordSection />
      <EmailSection />
    </Stack>
  );
}

function MfaSection() {
  const { t } = useTranslation();
  const security = useAccountSecurity();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useContractForm(mfaCodeSchema, { defaultValues: { code: '' } });
  const start = useAccountMutation(() => api<Enrolment>('/account/mfa/enrolment', { method: 'POST' }));
  const confirm = useAccountMutation((c: string) =>
    api<{ recoveryCodes: string[] }>('/account/mfa/enrolment/confirm', { method: 'POST', body: { code: c } }),
  );
  const regenerate = useAccountMutation(() => api<{ recoveryCodes: string[] }>('/account/mfa/recovery-codes', { method: 'POST' }));
  const disable = useAccountMutation(() => api<void>('/account/mfa', { method: 'DELETE' }));
  if (!security.data) return <Loading />;
  const s = security.data;
  const error = confirm.error ?? regenerate.error ?? disable.error ?? start.error;
  const fields = fieldErrorsOf(error);
  const done = (r: { recoveryCodes: string[] }) => {
    setCodes(r.recoveryCodes);
    setEnrolment(null);
    form.reset({ code: '' });
  };
  return (
    <Stack component="section" aria-labelledby="mfa-heading" gap="sm">
      <Title order={2} size="h3" id="mfa-heading">
        {t('identity.account.mfaHeading')}
      </Title>
      <Text data-testid="mfa-status">
        {s.mfaEnabled ? t('identity.account.mfaOn', { count: s.recoveryCodesLeft }) : t('identity.account.mfaOff')}{' '}
        {s.mfaRequired ? t('identity.account.mfaRequired') : ''}
      </Text>
      {s.mfaEnabled && s.recoveryCodesLeft === 0 && !codes ? (
        <Alert color="orange" variant="light" data-testid="no-recovery-codes">
          {t('identity.account.noRecoveryCodes')}
        </Alert>
      ) : null}
      {codes ? <RecoveryCodes codes={codes} onDone={() => setCodes(null)} /> : null}
      {!s.mfaEnabled && !enrolment && s.hasPassword ? (
        <Group>
          <Button onClick={() => start.mutate(undefined, { onSuccess: setEnrolment })} loading={start.isPending}>
            {t('identity.account.mfaStart')}
          </Button>
        </Group>
      ) : null}
      {!s.mfaEnabled && !s.hasPassword ? <Text size="sm">{t('identity.account.mfaAtProvider')}</Text> : null}
      {enrolment ? (
        <form
          onSubmit={form.handleSubmit(({ code }) => confirm.mutate(code, { onSuccess: done, onError: (e) => setServerErrors(form, e) }))}
          noValidate
        >
          <Stack gap="xs">
            <EnrolmentKey enrolment={enrolment} />
            <OneTimeCodeField {...form.register('code')} error={errorOf(form.formState.errors, 'code')} maw={240} />
            <Group>
              <Button type="submit" loading={confirm.isPending}>
                {t('identity.mfa.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
      {s.mfaEnabled ? (
        <Group>
          <Button variant="default" onClick={() => regenerate.mutate(undefined, { onSuccess: done })} loading={regenerate.isPending}>
            {t('identity.account.mfaNewCodes')}
          </Button>
          {!s.mfaRequired ? (
            <Button variant="default" color="red" onClick={() => disable.mutate(undefined)} loading={disable.isPending}>
              {t('identity.account.mfaDisable')}
            </Button>
          ) : null}
        </Group>
      ) : null}
      {error && !fields?.code ? <Feedback error={error} /> : null}
    </Stack>
  );
}

function SessionsSection() {
  const { t, i18n } = useTranslation();
  const sessions = useAccountSessions();
  const end = useAccountMutation((id: string | null) =>
    api<void>(id ? `/account/sessions/${id}` : '/account/sessions', { method: 'DELETE' }),
  );
  if (!sessions.data) return <Loading />;
  return (
    <Stack component="section" aria-labelledby="sessions-heading" gap="sm">
      <Title order={2} size="h3" id="sessions-heading">
        {t('identity.account.sessionsHeading')}
      </Title>
      <Table data-testid="sessions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('identity.account.sessionMethod')}</Table.Th>
            <Table.Th>{t('identity.account.sessionStarted')}</Table.Th>
            <Table.Th>{t('identity.account.sessionLastSeen')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.data.items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                {t(`identity.account.methods.${s.method}`)}{' '}
                {s.current ? <Badge variant="light">{t('identity.account.sessionCurrent')}</Badge> : null}
              </Table.Td>
              <Table.Td>{formatDateTime(s.createdAt, i18n.language)}</Table.Td>
              <Table.Td>{formatDateTime(s.lastSeenAt, i18n.language)}</Table.Td>
              <Table.Td>
                {s.current ? null : (
                  <Button size="compact-sm" variant="default" onClick={() => end.mutate(s.id)}>
                    {t('identity.account.sessionEnd')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Button variant="default" onClick={() => end.mutate(null)} loading={end.isPending} disabled={sessions.data.items.length < 2}>
          {t('identity.account.sessionEndOthers')}
        </Button>
      </Group>
      {end.error ? <Feedback error={end.error} /> : null}
    </Stack>
  );
}

function PasswordSection() {
  const { t } = useTranslation();
  const store = useStoreSession();
  const form = useContractForm(passwordChangeSchema, { defaultValues: { currentPassword: '', newPassword: '' } });
  const { errors } = form.formState;
  const change = useAccountMutation((input: { currentPassword: string; newPassword: string }) =>
    api<SessionBody>('/account/password', { method: 'POST', body: input }),
  );
  const fields = fieldErrorsOf(change.error);
  return (
    <SectionForm
      id="password-heading"
      heading={t('identity.account.passwordHeading')}
      onSubmit={form.handleSubmit((input) =>
        change.mutate(input, {
          onSuccess: (s) => (store(s), form.reset()),
          onError: (e) => setServerErrors(form, e),
        }),
      )}
      error={fields ? null : change.error}
      success={change.isSuccess ? t('identity.account.passwordChanged') : null}
      pending={change.isPending}
    >
      <PasswordField
        label={t('identity.account.currentPassword')}
        autoComplete="current-password"
        {...form.register('currentPassword')}
        error={errorOf(errors, 'currentPassword')}
        maw={400}
      />
      <PasswordField
        label={t('identity.account.newPassword')}
        description={t('identity.reset.hint')}
        autoComplete="new-password"
        {...form.register('newPassword')}
        error={errorOf(errors, 'newPassword')}
        maw={400}
      />
    </SectionForm>
  );
}

/** A section of the account page that is one form: its heading, fields, outcome and Save button. */
function SectionForm(props: {
  id: string;
  heading: string;
  /** The form's `handleSubmit` (which prevents the browser's own submission). */
  onSubmit: (event: FormEvent) => unknown;
  error: unknown;
  success: string | null;
  pending: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void props.onSubmit(e);
      }}
      noValidate
      aria-labelledby={props.id}
    >
      <Stack gap="sm">
        <Title order={2} size="h3" id={props.id}>
          {props.heading}
        </Title>
        {props.children}
        <Feedback error={props.error} success={props.success} />
        <Group>
          <Button type="submit" loading={props.pending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EmailSection() {
  const { t } = useTranslation();
  const form = useContractForm(emailChangeSchema, { defaultValues: { newEmail: '', password: '' } });
  const { errors } = form.formState;
  const change = useAccountMutation((input: { newEmail: string; password: string }) =>
    api<null>('/account/email', { method: 'POST', body: input }),
  );
  const fields = fieldErrorsOf(change.error);
  return (
    <SectionForm
      id="email-heading"
      heading={t('identity.account.emailHeading')}
      onSubmit={form.handleSubmit((input) =>
        change.mutate(input, { onSuccess: () => form.resetField('password'), onError: (e) => setServerErrors(form, e) }),
      )}
      error={fields ? null : change.error}
      success={change.isSuccess ? t('identity.account.emailSent') : null}
      pending={change.isPending}
    >
      <TextInput
        label={t('identity.account.newEmail')}
        type="email"
        autoComplete="email"
        {...form.register('newEmail')}
        error={errorOf(errors, 'newEmail')}
        maw={400}
      />
      <PasswordField
        label={t('identity.account.currentPassword')}
        autoComplete="current-password"
        {...form.register('password')}
        error={errorOf(errors, 'password')}
        maw={400}
      />
    </SectionForm>
  );
}
