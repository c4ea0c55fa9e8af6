/** Signed-out pages reached from emails: forgot password, reset password, confirm a new email. */
import { Alert, Button, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { passwordResetCompleteSchema, passwordResetRequestSchema } from '../../../contracts/auth.js';
import { Feedback } from '../../components/Feedback.js';
import { PasswordField } from '../../components/PasswordField.js';
import { AnchorLink } from '../../components/links.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { PublicForm } from './PublicForm.js';
import { api } from '../../lib/api.js';
import { SignInEmailField } from './fields.js';
import { fieldErrorsOf } from '../../lib/errors.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';

/** A new password, typed twice: the second must be the first (the API checks the first). */
const resetForm = passwordResetCompleteSchema
  .pick({ password: true })
  .extend({ again: z.string() })
  .refine((v) => v.password === v.again, { path: ['again'], message: 'mismatch' });

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useContractForm(passwordResetRequestSchema, { defaultValues: { email: '' } });
  const request = useMutation({
    mutationFn: (body: { email: string }) => api<null>('/password-resets', { method: 'POST', body, redirectOn401: false }),
    onError: (error) => setServerErrors(form, error),
  });
  const fields = fieldErrorsOf(request.error);
  return (
    <PublicForm
      title={t('identity.forgot.title')}
      intro={t('identity.forgot.intro')}
      onSubmit={form.handleSubmit((body) => request.mutate(body))}
    >
      <SignInEmailField {...form.register('email')} error={errorOf(form.formState.errors, 'email')} />
      <Feedback error={fields ? null : request.error} success={request.isSuccess ? t('identity.forgot.sent') : null} />
      <Button type="submit" loading={request.isPending}>
        {t('identity.forgot.submit')}
      </Button>
      <AnchorLink to="/sign-in" search={{}} size="sm">
        {t('identity.forgot.back')}
      </AnchorLink>
    </PublicForm>
  );
}

const resetRoute = getRouteApi('/reset-password');

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token } = resetRoute.useSearch();
  const form = useContractForm(resetForm, { defaultValues: { password: '', again: '' } });
  const { errors } = form.formState;
  const reset = useMutation({
    mutationFn: (p: string) =>
      api<void>('/password-resets/complete', { method: 'POST', body: { token, password: p }, redirectOn401: false }),
    onError: (error) => setServerErrors(form, error),
  });
  const fields = fieldErrorsOf(reset.error);
  return (
    <PublicForm title={t('identity.reset.title')} onSubmit={form.handleSubmit(({ password }) => reset.mutate(password))}>
      {!token ? (
        <Alert color="red" role="alert">
          {t('identity.reset.missingToken')}
        </Alert>
      ) : reset.isSuccess ? (
        <>
          <Feedback success={t('identity.reset.done')} />
          <AnchorLink to="/sign-in" search={{}}>
            {t('identity.forgot.back')}
          </AnchorLink>
        </>
      ) : (
        <>
          <PasswordField
            label={t('identity.reset.password')}
            description={t('identity.reset.hint')}
            autoComplete="new-password"
            required
            {...form.register('password')}
            error={errorOf(errors, 'password')}
          />
          <PasswordField
            label={t('identity.reset.confirm')}
            autoComplete="new-password"
            required
            {...form.register('again')}
            error={errors.again ? t('identity.reset.mismatch') : undefined}
          />
          {reset.error && !fields ? <Feedback error={reset.error} /> : null}
          <Button type="submit" loading={reset.isPending}>
            {t('identity.reset.submit')}
          </Button>
        </>
      )}
    </PublicForm>
  );
}

const confirmRoute = getRouteApi('/confirm-email');

export function ConfirmEmailPage() {
  const { t } = useTranslation();
  const { token } = confirmRoute.useSearch();
  const confirm = useMutation({
    mutationFn: () => api<void>('/email-changes/confirm', { method: 'POST', body: { token }, redirectOn401: false }),
  });
  return (
    <PublicLayout>
      <Stack>
        <Title order={1} size="h2">
          {t('identity.confirmEmail.title')}
        </Title>
        {!token ? (
          <Alert color="red" role="alert">
            {t('identity.reset.missingToken')}
          </Alert>
        ) : (
          <>
            <Feedback error={confirm.error} success={confirm.isSuccess ? t('identity.confirmEmail.done') : null} />
            {confirm.isSuccess ? (
              <AnchorLink to="/">{t('identity.forgot.back')}</AnchorLink>
            ) : (
              <Button onClick={() => confirm.mutate()} loading={confirm.isPending}>
                {t('identity.confirmEmail.submit')}
              </Button>
            )}
          </>
        )}
      </Stack>
    </PublicLayout>
  );
}
