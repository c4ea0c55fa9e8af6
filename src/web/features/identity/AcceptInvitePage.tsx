/** `/invite?token=…`: shows who was invited where, and sets their password (12+ characters, twice). */
import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionBody } from '../../../contracts/api.js';
import type { z } from 'zod';
import type { invitationPreviewSchema } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { PasswordField } from '../../components/PasswordField.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { api, fieldError, toQueryString } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';
import { useStoreSession } from '../../lib/session.js';

const route = getRouteApi('/invite');
const MIN_PASSWORD = 12;
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
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [checked, setChecked] = useState(false);
  const accept = useMutation({
    mutationFn: () => api<SessionBody>('/invitations/accept', { method: 'POST', body: { token, password }, redirectOn401: false }),
    onSuccess: (session) => {
      store(session);
      void navigate({ to: '/' });
    },
  });

  const tooShort = password.length < MIN_PASSWORD;
  const mismatch = password !== confirm;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (tooShort || mismatch) return;
    accept.mutate();
  };

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
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={(checked && tooShort ? t('invite.tooShort') : undefined) ?? fieldError(fieldsOf(accept.error), 'password')}
        />
        <PasswordField
          label={t('invite.confirm')}
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={checked && !tooShort && mismatch ? t('invite.mismatch') : undefined}
        />
        <Feedback error={accept.error} />
        <Button type="submit" loading={accept.isPending}>
          {t('invite.submit')}
        </Button>
      </Stack>
    </form>
  );
}
