/**
 * Re-authentication before sensitive changes. When the API answers `reauthentication_required`, a
 * dialog asks for the password (and a code when two-step verification is on); once accepted, the
 * change is sent again. People who sign in by single sign-on only sign in again at their provider,
 * which must ask them afresh (the server checks it), and come back to the page to make the change.
 */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reauthenticateSchema, SSO_FAILURES, SSO_REAUTH_RETURN_PAGES } from '../../../contracts/auth.js';
import { Feedback } from '../../components/Feedback.js';
import { PasswordField } from '../../components/PasswordField.js';
import { Loading } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { OneTimeCodeField } from './fields.js';
import { fieldErrorsOf } from '../../lib/errors.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useAccountSecurity } from './api.js';

type ReturnPage = (typeof SSO_REAUTH_RETURN_PAGES)[number];

/** The outcome of a re-authentication at the provider, from the address it came back to. */
function readSsoOutcome(): 'done' | (typeof SSO_FAILURES)[number] | null {
  const search = new URLSearchParams(window.location.search);
  return search.get('reauth') === 'done' ? 'done' : (SSO_FAILURES.find((c) => c === search.get('sso')) ?? null);
}

/** Takes the outcome out of the address, so a reload or a bookmark does not show it again. */
function forgetSsoOutcome(): void {
  const search = new URLSearchParams(window.location.search);
  search.delete('reauth');
  search.delete('sso');
  const rest = search.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
}

/** Tells the person how their re-authentication at the provider went (then they make the change again). */
function SsoReauthOutcome() {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState(readSsoOutcome);
  const found = outcome !== null;
  useEffect(() => {
    if (found) forgetSsoOutcome();
  }, [found]);
  if (!outcome) return null;
  return (
    <Alert
      color={outcome === 'done' ? 'green' : 'red'}
      variant="light"
      role={outcome === 'done' ? 'status' : 'alert'}
      withCloseButton
      closeButtonLabel={t('common.close')}
      onClose={() => setOutcome(null)}
      mb="md"
      data-testid="sso-reauth-outcome"
    >
      {outcome === 'done' ? t('identity.reauth.ssoDone') : t(`identity.signIn.ssoError.${outcome}`)}
    </Alert>
  );
}
import { ReauthContext, type Ask } from './reauth-context.js';

/** Gives the pages inside it the re-authentication dialog. */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ resolve: () => void; reject: () => void } | null>(null);
  const ask = useCallback<Ask>(() => new Promise<void>((resolve, reject) => setPending({ resolve, reject })), []);
  return (
    <ReauthContext.Provider value={ask}>
      <SsoReauthOutcome />
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
  const form = useContractForm(reauthenticateSchema, { defaultValues: { password: '' } });
  const { errors } = form.formState;
  const confirm = useMutation({
    mutationFn: (body: { password: string; code?: string | undefined }) => api<void>('/session/reauthenticate', { method: 'POST', body }),
    onSuccess: onDone,
    onError: (error) => setServerErrors(form, error),
  });
  // Security: the provider is asked for a fresh sign-in; the browser comes back to this page after it.
  const viaProvider = useMutation({
    mutationFn: () => {
      const here = SSO_REAUTH_RETURN_PAGES.find((p) => p === window.location.pathname);
      const returnTo: ReturnPage = here ?? '/account';
      return api<{ redirect: string }>('/session/reauthenticate/sso', { method: 'POST', body: { returnTo } });
    },
    onSuccess: (r) => window.location.assign(r.redirect),
  });
  const fields = fieldErrorsOf(confirm.error);
  const s = security.data;
  return (
    <Modal opened onClose={onCancel} title={t('identity.reauth.title')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      {!s ? (
        <Loading />
      ) : s.hasPassword ? (
        <form onSubmit={form.handleSubmit((body) => confirm.mutate(body))} noValidate>
          <Stack gap="sm">
            <Text size="sm">{s.mfaEnabled ? t('identity.reauth.introMfa') : t('identity.reauth.intro')}</Text>
            <PasswordField
              label={t('identity.account.currentPassword')}
              autoComplete="current-password"
              required
              {...form.register('password')}
              error={errorOf(errors, 'password')}
              data-autofocus
            />
            {s.mfaEnabled ? (
              // No code typed is none sent: the password alone may be enough.
              <OneTimeCodeField
                {...form.register('code', { setValueAs: (v: string | undefined) => v?.trim() || undefined })}
                error={errorOf(errors, 'code')}
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
          {viaProvider.error ? <Feedback error={viaProvider.error} /> : null}
          <Group>
            <Button onClick={() => viaProvider.mutate()} loading={viaProvider.isPending || viaProvider.isSuccess} data-autofocus>
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
