/**
 * Sign-in. Single sign-on is offered from the email's domain: the person types their work email and
 * the buttons of their institution's providers appear (no public list of client institutions). The
 * password form stays for local accounts; a second step follows when two-step verification applies.
 */
import { Alert, Anchor, Button, Code, Divider, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { PasswordField } from '../../components/PasswordField.js';
import { AnchorLink } from '../../components/links.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { PublicForm } from './PublicForm.js';
import { ApiError, fieldError } from '../../lib/api.js';
import { OneTimeCodeField, SignInEmailField } from './fields.js';
import { fieldErrorsOf } from '../../lib/errors.js';
import { sessionQuery, useStoreSession } from '../../lib/session.js';
import {
  isSession,
  useChallengeEnrolment,
  useChallengeEnrolmentConfirm,
  useMfaVerify,
  usePasswordSignIn,
  useSsoDiscovery,
  type Enrolment,
  type MfaStep,
} from './api.js';

const route = getRouteApi('/sign-in');
const SSO_ERRORS = ['expired', 'invalid', 'no_account', 'disabled', 'unavailable', 'mfa_required'] as const;

export function SignInPage() {
  const { t } = useTranslation();
  const { redirect, sso } = route.useSearch();
  const navigate = useNavigate();
  const session = useQuery(sessionQuery);
  const signIn = usePasswordSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<MfaStep | null>(null);
  const discovery = useSsoDiscovery(email.trim());

  const signedIn = Boolean(session.data) && !signIn.isPending;
  useEffect(() => {
    if (signedIn) void (redirect ? navigate({ href: redirect, replace: true }) : navigate({ to: '/', replace: true }));
  }, [signedIn, redirect, navigate]);
  if (signedIn) return null;

  if (step === 'verify') return <MfaVerify onRestart={() => setStep(null)} />;
  if (step === 'enrol') return <MfaEnrol onRestart={() => setStep(null)} />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password }, { onSuccess: (r) => (isSession(r) ? undefined : setStep(r.mfa)) });
  };
  const error = signIn.error;
  const wrong = error instanceof ApiError && error.status === 401;
  const fields = fieldErrorsOf(error);
  const buttons = discovery.data?.items ?? [];
  const ssoError = SSO_ERRORS.find((e) => e === sso);

  return (
    <PublicLayout>
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t('identity.signIn.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('identity.signIn.intro')}
          </Text>
          {ssoError ? (
            <Alert color="red" variant="light" role="alert">
              {t(`identity.signIn.ssoError.${ssoError}`)}
            </Alert>
          ) : null}
          <SignInEmailField value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(fields, 'email')} />
          {buttons.length > 0 ? (
            <Stack gap="xs" aria-live="polite">
              <Text size="sm" fw={500}>
                {t('identity.signIn.ssoHeading')}
              </Text>
              {buttons.map((b) => (
                // A full page navigation: the provider's page is another site.
                <Button key={b.id} component="a" href={b.startUrl} variant="filled" data-testid="sso-button">
                  {t('identity.signIn.ssoButton', { name: b.displayName })}
                </Button>
              ))}
              <Divider label={t('identity.signIn.orPassword')} labelPosition="center" />
            </Stack>
          ) : null}
          <PasswordField
            label={t('identity.signIn.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(fields, 'password')}
          />
          <div role="alert" aria-live="assertive">
            {wrong ? (
              <Text c="red.9" size="sm">
                {t('identity.signIn.wrongCredentials')}
              </Text>
            ) : null}
          </div>
          {error && !wrong ? <Feedback error={error} /> : null}
          <Button type="submit" variant={buttons.length ? 'default' : 'filled'} loading={signIn.isPending}>
            {t('identity.signIn.submit')}
          </Button>
          <AnchorLink to="/forgot-password" size="sm">
            {t('identity.signIn.forgot')}
          </AnchorLink>
        </Stack>
      </form>
    </PublicLayout>
  );
}

function MfaVerify({ onRestart }: { onRestart: () => void }) {
  const { t } = useTranslation();
  const verify = useMfaVerify();
  const [code, setCode] = useState('');
  const fields = fieldErrorsOf(verify.error);
  const expired = verify.error instanceof ApiError && verify.error.status === 401;
  return (
    <PublicForm title={t('identity.mfa.verifyTitle')} intro={t('identity.mfa.verifyIntro')} onSubmit={() => verify.mutate(code.trim())}>
      <OneTimeCodeField value={code} onChange={(e) => setCode(e.currentTarget.value)} inputMode="text" error={fieldError(fields, 'code')} data-autofocus />
      {expired ? <Feedback error={verify.error} /> : null}
      <Button type="submit" loading={verify.isPending}>
        {t('identity.mfa.verify')}
      </Button>
      <Anchor component="button" type="button" size="sm" onClick={onRestart}>
        {t('identity.mfa.startOver')}
      </Anchor>
    </PublicForm>
  );
}

function MfaEnrol({ onRestart }: { onRestart: () => void }) {
  const { t } = useTranslation();
  const store = useStoreSession();
  const enrol = useChallengeEnrolment();
  const confirm = useChallengeEnrolmentConfirm();
  const [code, setCode] = useState('');
  const [done, setDone] = useState<{ session: SessionBody; recoveryCodes: string[] } | null>(null);
  const { mutate } = enrol;
  useEffect(() => mutate(), [mutate]);

  if (done) {
    return (
      <PublicLayout>
        <RecoveryCodes codes={done.recoveryCodes} onDone={() => store(done.session)} />
      </PublicLayout>
    );
  }
  const fields = fieldErrorsOf(confirm.error);
  return (
    <PublicForm
      title={t('identity.mfa.enrolTitle')}
      intro={t('identity.mfa.enrolIntro')}
      onSubmit={() => confirm.mutate(code.trim(), { onSuccess: setDone })}
    >
      {enrol.data ? <EnrolmentKey enrolment={enrol.data} /> : null}
      {enrol.error ? <Feedback error={enrol.error} /> : null}
      <OneTimeCodeField value={code} onChange={(e) => setCode(e.currentTarget.value)} error={fieldError(fields, 'code')} />
      {confirm.error && !fields?.code ? <Feedback error={confirm.error} /> : null}
      <Button type="submit" loading={confirm.isPending} disabled={!enrol.data}>
        {t('identity.mfa.confirm')}
      </Button>
      <Anchor component="button" type="button" size="sm" onClick={onRestart}>
        {t('identity.mfa.startOver')}
      </Anchor>
    </PublicForm>
  );
}

/**
 * The TOTP key for an authenticator app: a QR code to scan, and the same key as text to type (for
 * keyboard and screen-reader users, or a phone that cannot scan), and the setup link.
 */
export function EnrolmentKey({ enrolment }: { enrolment: Enrolment }) {
  const { t } = useTranslation();
  const { secret, uri, qr } = enrolment;
  const side = qr.size + 8;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="mfa-qr-label">
        {t('identity.mfa.qr')}
      </Text>
      <svg
        viewBox={`-4 -4 ${side} ${side}`}
        width={Math.max(side * 4, 180)}
        height={Math.max(side * 4, 180)}
        role="img"
        aria-labelledby="mfa-qr-label"
        data-testid="mfa-qr"
        shapeRendering="crispEdges"
        style={{ background: '#fff' }}
      >
        <rect x={-4} y={-4} width={side} height={side} fill="#fff" />
        <path d={qr.path} fill="#000" />
      </svg>
      <Text size="sm" fw={500}>
        {t('identity.mfa.secret')}
      </Text>
      <Text size="sm">{t('identity.mfa.secretHint')}</Text>
      <Code block data-testid="mfa-secret">
        {secret.match(/.{1,4}/g)?.join(' ')}
      </Code>
      <Text size="sm" fw={500}>
        {t('identity.mfa.uri')}
      </Text>
      <Anchor href={uri} size="sm" style={{ wordBreak: 'break-all' }}>
        {uri}
      </Anchor>
    </Stack>
  );
}

/** Recovery codes, shown once. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('identity.mfa.recoveryTitle')}
      </Title>
      <Text size="sm">{t('identity.mfa.recoveryIntro')}</Text>
      <List data-testid="recovery-codes" ff="monospace">
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Button onClick={onDone}>{t('identity.mfa.recoveryDone')}</Button>
    </Stack>
  );
}
