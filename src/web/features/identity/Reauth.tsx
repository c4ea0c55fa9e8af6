/**
 * Re-authentication before sensitive changes. When the API answers `reauthentication_required`, a
 * dialog asks for the password (and a code when two-step verification is on); once accepted, the
 * change is sent again. People who sign in by single sign-on only are offered to sign in again there.
 */
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Feedback } from '../../components/Feedback.js';
import { PasswordField } from '../../components/PasswordField.js';
import { Loading } from '../../components/PageState.js';
import { api, ApiError, fieldError } from '../../lib/api.js';
import { useSignOut } from '../../lib/session.js';
import { useAccountSecurity } from './api.js';
import { ReauthContext, type Ask } from './reauth-context.js';

/** Gives the pages inside it the re-authentication dialog. */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ resolve: () => void; reject: () => void } | null>(null);
  const ask = useCallback<Ask>(() => new Promise<void>((resolve, reject) => setPending({ resolve, reject })), []);
  return (
    <ReauthContext.Provider value={ask}>
      {children}
      {pending ? (
        <ReauthDialog
          onDone={() => {
            pending.resolve();
            setPending(null);
          }}
          onCancel={() => {
            pending.reject();
            setPending(null);
          }}
        />
      ) : null}
    </ReauthContext.Provider>
  );
}

function ReauthDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const security = useAccountSecurity();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const confirm = useMutation({
    mutationFn: (body: { password: string; code?: string }) => api<void>('/session/reauthenticate', { method: 'POST', body }),
    onSuccess: onDone,
  });
  const signOut = useSignOut();
  const navigate = useNavigate();
  const fields = confirm.error instanceof ApiError ? confirm.error.fields : undefined;
  const s = security.data;
  return (
    <Modal opened onClose={onCancel} title={t('identity.reauth.title')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      {!s ? (
        <Loading />
      ) : s.hasPassword ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            confirm.mutate({ password, ...(s.mfaEnabled && code.trim() ? { code: code.trim() } : {}) });
          }}
          noValidate
        >
          <Stack gap="sm">
            <Text size="sm">{s.mfaEnabled ? t('identity.reauth.introMfa') : t('identity.reauth.intro')}</Text>
            <PasswordField
              label={t('identity.account.currentPassword')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError(fields, 'password')}
              data-autofocus
            />
            {s.mfaEnabled ? (
              <TextInput
                label={t('identity.mfa.code')}
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={fieldError(fields, 'code')}
                maw={240}
              />
            ) : null}
            {confirm.error && !fields?.password && !fields?.code ? <Feedback error={confirm.error} /> : null}
            <Group>
              <Button type="submit" loading={confirm.isPending}>
                {t('identity.reauth.confirm')}
              </Button>
              <Button variant="default" onClick={onCancel}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          <Text size="sm">{t('identity.reauth.sso')}</Text>
          <Group>
            <Button
              onClick={() =>
                signOut.mutate(undefined, {
                  onSuccess: (r) => (r?.logoutUrl ? window.location.assign(r.logoutUrl) : void navigate({ to: '/sign-in', replace: true })),
                  onError: () => void navigate({ to: '/sign-in', replace: true }),
                })
              }
              loading={signOut.isPending}
            >
              {t('identity.reauth.signInAgain')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
