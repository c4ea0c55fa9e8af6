/** `/invite?token=…`: shows who was invited where, and sets their password (12+ characters, twice). */
import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { invitationAcceptSchema, type invitationPreviewSchema, type SessionBody } from '../../../contracts/api.js';
import { z } from 'zod';
import { Feedback } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { PasswordField } from '../../components/PasswordField.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { api, toQueryString } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useStoreSession } from '../../lib/session.js';

const route = getRouteApi('/invite');
const MIN_PASSWORD = 12;
/** The password, typed twice: the second must be the first (the API checks the first). */
const acceptForm = invitationAcceptSchema
  .pick({ password: true })
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'mismatch' });
type Preview = z.infer<typeof invitationPreviewSchema>;

export function AcceptInvitePage() {
  const { t } = useTranslation();
  const { token } = route.useSearch();
  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => api<Preview>(`/invitations/preview${toQueryString({ token })}`, { redirectOn401: false }),
    enabled: Boolean(token),
    retry: false,
  });

  return (
    <PublicLayout>
      <Stack>
        <Title order={1} size="h2">
          {t('invite.title')}
        </Title>
        {!token ? (
          <Alert color="red" role="alert">
            {t('invite.missingToken')}
          </Alert>
        ) : preview.isPending ? (
          <Loading />
        ) : preview.isError ? (
          <Alert color="red" role="alert">
            {t('invite.invalid')}
          </Alert>
        ) : (
          <AcceptForm token={token} preview={preview.data} />
        )}
      </Stack>
    </PublicLayout>
  );
}

function AcceptForm({ token, preview }: { token: string; preview: Preview }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const store = useStoreSession();
  const form = useContractForm(acceptForm, { defaultValues: { password: '', confirm: '' } });
  const { errors } = form.formState;
  const accept = useMutation({
    mutationFn: (password: string) =>
      api<SessionBody>('/invitations/accept', { method: 'POST', body: { token, password }, redirectOn401: false }),
    onSuccess: (session) => {
      store(session);
      void navigate({ to: '/' });
    },
    onError: (error) => setServerErrors(form, error),
  });
  const onSubmit = form.handleSubmit(({ password }) => accept.mutate(password));

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <Text>{t('invite.welcome', { name: preview.firstName, institution: preview.institutionName })}</Text>
        <Text size="sm" c="dimmed">
          {t('invite.emailLabel', { email: preview.email })}
        </Text>
        {/* Lets password managers pair the new password with the account. */}
        <input type="hidden" name="username" autoComplete="username" value={preview.email} />
        <PasswordField
          label={t('invite.password')}
          description={t('invite.passwordHint')}
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          {...form.register('password')}
          error={errorOf(errors, 'password')}
        />
        <PasswordField
          label={t('invite.confirm')}
          autoComplete="new-password"
          required
          {...form.register('confirm')}
          error={errors.confirm && !errors.password ? t('invite.mismatch') : undefined}
        />
        <Feedback error={accept.error} />
        <Button type="submit" loading={accept.isPending}>
          {t('invite.submit')}
        </Button>
      </Stack>
    </form>
  );
}
