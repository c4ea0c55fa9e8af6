/** `/sign-in-settings` (site admins): the institution's identity providers and its sign-in policy. */
import { Button, Card, Checkbox, Code, Group, Select, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import {
  authPolicyUpdateSchema,
  SAML_MFA_AUTHN_CONTEXTS_SUGGESTED,
  ssoConnectionCreateSchema,
  ssoConnectionUpdateSchema,
  type AuthPolicyBody,
  type SsoConnectionBody,
} from '../../../contracts/auth.js';
import { Feedback } from '../../components/Feedback.js';
import { PasswordField } from '../../components/PasswordField.js';
import { Loading, NotPermitted } from '../../components/PageState.js';
import { api, fieldError } from '../../lib/api.js';
import { draftOn, errorOf, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { usersQuery } from '../../lib/queries.js';
import { useRequiredSession } from '../../lib/session.js';
import { useSsoConnections, useSsoMutation, useSsoPolicy, type ConnectionInput } from './api.js';
import { AccountLinks, SsoDomainsSection } from './SsoDomains.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';

type Preset = ConnectionInput['preset'];
const PRESETS: Preset[] = ['google', 'entra', 'oidc', 'saml'];
/** One value a line (or separated by spaces or commas): URIs never hold any of them. */
const listOf = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);

type ConnectionOutput = z.output<typeof ssoConnectionCreateSchema>;
type ConnectionUpdate = z.output<typeof ssoConnectionUpdateSchema>;
/** The SAML contexts, one a line, as the connection's change takes them. */
const contextsDraft = draftOn(ssoConnectionUpdateSchema.pick({ mfaAuthnContexts: true }), ({ text }: { text: string }) => ({
  mfaAuthnContexts: listOf(text),
}));

export function SsoSettingsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  if (!session.abilities.manageSso) return <NotPermitted />;
  return (
    <Stack maw={820}>
      <Title order={1}>{t('identity.sso.title')}</Title>
      <Text>{t('identity.sso.intro')}</Text>
      <WriteArea>
        <Stack>
          <SsoDomainsSection />
          <Connections />
          <AddConnection />
          <Policy />
        </Stack>
      </WriteArea>
    </Stack>
  );
}

function Connections() {
  const { t } = useTranslation();
  const connections = useSsoConnections();
  const remove = useSsoMutation((id: string) => api<void>(`/sso/connections/${id}`, { method: 'DELETE' }));
  const toggle = useSsoMutation((c: SsoConnectionBody) =>
    api<SsoConnectionBody>(`/sso/connections/${c.id}`, { method: 'PATCH', body: { enabled: !c.enabled } }),
  );
  const toggleMfa = useSsoMutation((c: SsoConnectionBody) => {
    const on = !(c.oidc?.requireIdpMfa ?? c.saml?.requireIdpMfa ?? false);
    // A SAML connection turned on with no contexts yet starts from the well-known ones.
    const contexts =
      c.saml && on && c.saml.mfaAuthnContexts.length === 0 ? { mfaAuthnContexts: [...SAML_MFA_AUTHN_CONTEXTS_SUGGESTED] } : {};
    return api<SsoConnectionBody>(`/sso/connections/${c.id}`, { method: 'PATCH', body: { requireIdpMfa: on, ...contexts } });
  });
  if (!connections.data) return <Loading />;
  return (
    <Stack component="section" aria-labelledby="providers-heading" gap="sm">
      <Title order={2} size="h3" id="providers-heading">
        {t('identity.sso.providers')}
      </Title>
      {connections.data.items.length === 0 ? <Text c="dimmed">{t('identity.sso.none')}</Text> : null}
      {connections.data.items.map((c) => (
        <Card key={c.id} withBorder data-testid="sso-connection">
          <Stack gap={4}>
            <Group justify="space-between">
              <Text fw={600}>
                {c.displayName} — {t(`identity.sso.presets.${c.preset}`)}
              </Text>
              <Group>
                <Switch label={t('identity.sso.enabled')} checked={c.enabled} onChange={() => toggle.mutate(c)} />
                <Button
                  size="xs"
                  variant="default"
                  color="red"
                  onClick={() => remove.mutate(c.id)}
                  aria-label={`${t('identity.sso.remove')} — ${c.displayName}`}
                >
                  {t('identity.sso.remove')}
                </Button>
              </Group>
            </Group>
            <Text size="sm">
              {t('identity.sso.emailDomains')}: {c.emailDomains.join(', ') || '—'}
            </Text>
            {c.oidc ? (
              <>
                <Text size="sm">
                  {t('identity.sso.issuer')}: <Code>{c.oidc.issuer}</Code>
                </Text>
                <Text size="sm">
                  {t('identity.sso.redirectUri')}: <Code>{c.oidc.redirectUri}</Code>
                </Text>
                <Text size="sm">
                  {t('identity.sso.postLogoutRedirectUri')}: <Code>{c.oidc.postLogoutRedirectUri}</Code>
                </Text>
                <Switch
                  label={t('identity.sso.requireIdpMfa')}
                  description={c.oidc.mfaAcrValues.length ? `acr: ${c.oidc.mfaAcrValues.join(', ')}` : undefined}
                  checked={c.oidc.requireIdpMfa}
                  onChange={() => toggleMfa.mutate(c)}
                />
              </>
            ) : null}
            {c.saml ? (
              <>
                <Text size="sm">
                  {t('identity.sso.spMetadata')}: <Code>{c.saml.metadataUrl}</Code>
                </Text>
                <Text size="sm">
                  {t('identity.sso.acsUrl')}: <Code>{c.saml.acsUrl}</Code>
                </Text>
                <Text size="sm">
                  {t('identity.sso.sloUrl')}: <Code>{c.saml.sloUrl}</Code>
                </Text>
                <Text size="sm" c={c.saml.singleLogout ? undefined : 'dimmed'} data-testid="saml-single-logout">
                  {t(c.saml.singleLogout ? 'identity.sso.singleLogoutOn' : 'identity.sso.singleLogoutOff')}
                </Text>
                <Switch
                  label={t('identity.sso.requireIdpMfa')}
                  description={
                    c.saml.mfaAuthnContexts.length ? t('identity.sso.contextsOf', { list: c.saml.mfaAuthnContexts.join(', ') }) : undefined
                  }
                  checked={c.saml.requireIdpMfa}
                  onChange={() => toggleMfa.mutate(c)}
                />
                {c.saml.requireIdpMfa ? <SamlMfaContexts connection={c} /> : null}
              </>
            ) : null}
            <AccountLinks connection={c} />
          </Stack>
        </Card>
      ))}
      <Feedback error={remove.error ?? toggle.error ?? toggleMfa.error} />
    </Stack>
  );
}

/** Edits the authentication contexts a SAML connection accepts as multi-factor. */
function SamlMfaContexts({ connection }: { connection: SsoConnectionBody }) {
  const { t } = useTranslation();
  const form = useContractForm(contextsDraft, { defaultValues: { text: (connection.saml?.mfaAuthnContexts ?? []).join('\n') } });
  const save = useSsoMutation((body: ConnectionUpdate) =>
    api<SsoConnectionBody>(`/sso/connections/${connection.id}`, { method: 'PATCH', body }),
  );
  const error = errorOf(form.formState.errors, 'mfaAuthnContexts');
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((body) => save.mutate(body, { onError: (e) => setServerErrors(form, e) }))}
      aria-label={`${t('identity.sso.mfaAuthnContexts')} — ${connection.displayName}`}
    >
      <Stack gap="xs">
        <Textarea
          label={t('identity.sso.mfaAuthnContexts')}
          description={t('identity.sso.mfaAuthnContextsHint')}
          autosize
          minRows={2}
          {...form.register('text')}
          error={error}
        />
        <Feedback error={error ? null : save.error} success={save.isSuccess ? t('identity.sso.contextsSaved') : null} />
        <Group>
          <Button type="submit" size="xs" variant="default" loading={save.isPending}>
            {t('identity.sso.saveContexts')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface ConnectionDraft {
  preset: Preset;
  displayName: string;
  issuer: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
  metadataUrl: string;
  metadataXml: string;
  domains: string;
  jitEnabled: boolean;
  jitRole: 'app_admin' | 'site_admin';
  requireIdpMfa: boolean;
  acrValues: string;
  authnContexts: string;
}

const emptyConnection: ConnectionDraft = {
  preset: 'google',
  displayName: '',
  issuer: '',
  entraTenantId: '',
  clientId: '',
  clientSecret: '',
  metadataUrl: '',
  metadataXml: '',
  domains: '',
  jitEnabled: false,
  jitRole: 'app_admin',
  requireIdpMfa: false,
  acrValues: '',
  authnContexts: SAML_MFA_AUTHN_CONTEXTS_SUGGESTED.join('\n'),
};

/** The new connection as the API takes it: the preset's own fields, lists split from their text. */
function connectionOf(form: ConnectionDraft): ConnectionInput {
  const { preset } = form;
  const common = {
    displayName: form.displayName,
    emailDomains: listOf(form.domains),
    jitEnabled: form.jitEnabled,
    jitRole: form.jitRole,
  };
  const oidc = {
    clientId: form.clientId,
    clientSecret: form.clientSecret,
    requireIdpMfa: form.requireIdpMfa,
    mfaAcrValues: listOf(form.acrValues),
  };
  return preset === 'google'
    ? { preset, ...common, ...oidc }
    : preset === 'entra'
      ? { preset, entraTenantId: form.entraTenantId.trim(), ...common, ...oidc }
      : preset === 'oidc'
        ? { preset, issuer: form.issuer.trim(), ...common, ...oidc }
        : {
            preset,
            ...common,
            idp: form.metadataUrl.trim() ? { metadataUrl: form.metadataUrl.trim() } : { metadataXml: form.metadataXml },
            requireIdpMfa: form.requireIdpMfa,
            ...(form.requireIdpMfa ? { mfaAuthnContexts: listOf(form.authnContexts) } : {}),
          };
}

const connectionDraft = draftOn(ssoConnectionCreateSchema, connectionOf);

function AddConnection() {
  const { t } = useTranslation();
  const draft = useContractForm(connectionDraft, { defaultValues: emptyConnection });
  const form = draft.watch();
  const { preset } = form;
  const set = (k: keyof ConnectionDraft) => (v: string | boolean) => patchValues(draft, { [k]: v });
  const create = useSsoMutation((body: ConnectionOutput) => api<SsoConnectionBody>('/sso/connections', { method: 'POST', body }));
  const fields = flatErrors(draft.formState.errors);
  const hasFields = Object.keys(fields).length > 0;

  const onSubmit = draft.handleSubmit((body) =>
    create.mutate(body, {
      onSuccess: () => draft.reset({ ...draft.getValues(), displayName: '', clientSecret: '', metadataXml: '', metadataUrl: '' }),
      onError: (error) => setServerErrors(draft, error),
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="add-provider-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="add-provider-heading">
          {t('identity.sso.add')}
        </Title>
        <Select
          label={t('identity.sso.preset')}
          data={PRESETS.map((p) => ({ value: p, label: t(`identity.sso.presets.${p}`) }))}
          value={preset}
          onChange={(v) => v && set('preset')(v)}
          allowDeselect={false}
          maw={400}
        />
        <TextInput
          label={t('identity.sso.displayName')}
          required
          value={form.displayName}
          onChange={(e) => set('displayName')(e.currentTarget.value)}
          error={fieldError(fields, 'displayName')}
          maw={400}
        />
        {preset === 'oidc' ? (
          <TextInput
            label={t('identity.sso.issuer')}
            required
            value={form.issuer}
            onChange={(e) => set('issuer')(e.currentTarget.value)}
            error={fieldError(fields, 'issuer')}
          />
        ) : null}
        {preset === 'entra' ? (
          <TextInput
            label={t('identity.sso.entraTenantId')}
            required
            value={form.entraTenantId}
            onChange={(e) => set('entraTenantId')(e.currentTarget.value)}
            error={fieldError(fields, 'entraTenantId')}
            maw={400}
          />
        ) : null}
        {preset !== 'saml' ? (
          <>
            <TextInput
              label={t('identity.sso.clientId')}
              required
              value={form.clientId}
              onChange={(e) => set('clientId')(e.currentTarget.value)}
              error={fieldError(fields, 'clientId')}
              maw={400}
            />
            <PasswordField
              label={t('identity.sso.clientSecret')}
              description={t('identity.sso.clientSecretHint')}
              autoComplete="off"
              required
              value={form.clientSecret}
              onChange={(e) => set('clientSecret')(e.currentTarget.value)}
              error={fieldError(fields, 'clientSecret')}
              maw={400}
            />
            <Checkbox
              label={t('identity.sso.requireIdpMfa')}
              description={t('identity.sso.requireIdpMfaHint')}
              checked={form.requireIdpMfa}
              onChange={(e) => set('requireIdpMfa')(e.currentTarget.checked)}
            />
            {form.requireIdpMfa ? (
              <TextInput
                label={t('identity.sso.mfaAcrValues')}
                value={form.acrValues}
                onChange={(e) => set('acrValues')(e.currentTarget.value)}
                error={fieldError(fields, 'mfaAcrValues')}
                maw={400}
              />
            ) : null}
          </>
        ) : (
          <>
            <TextInput
              label={t('identity.sso.metadataUrl')}
              value={form.metadataUrl}
              onChange={(e) => set('metadataUrl')(e.currentTarget.value)}
              error={fieldError(fields, 'idp.metadataUrl')}
            />
            <Textarea
              label={t('identity.sso.metadataXml')}
              autosize
              minRows={3}
              maxRows={10}
              value={form.metadataXml}
              onChange={(e) => set('metadataXml')(e.currentTarget.value)}
              error={fieldError(fields, 'idp')}
            />
            <Checkbox
              label={t('identity.sso.requireIdpMfa')}
              description={t('identity.sso.requireIdpMfaSamlHint')}
              checked={form.requireIdpMfa}
              onChange={(e) => set('requireIdpMfa')(e.currentTarget.checked)}
            />
            {form.requireIdpMfa ? (
              <Textarea
                label={t('identity.sso.mfaAuthnContexts')}
                description={t('identity.sso.mfaAuthnContextsHint')}
                autosize
                minRows={2}
                value={form.authnContexts}
                onChange={(e) => set('authnContexts')(e.currentTarget.value)}
                error={fieldError(fields, 'mfaAuthnContexts')}
              />
            ) : null}
          </>
        )}
        <TextInput
          label={t('identity.sso.emailDomains')}
          value={form.domains}
          onChange={(e) => set('domains')(e.currentTarget.value)}
          error={fieldError(fields, 'emailDomains')}
          maw={400}
        />
        <Checkbox label={t('identity.sso.jit')} checked={form.jitEnabled} onChange={(e) => set('jitEnabled')(e.currentTarget.checked)} />
        {form.jitEnabled ? (
          <Select
            label={t('identity.sso.jitRole')}
            data={(['app_admin', 'site_admin'] as const).map((r) => ({ value: r, label: t(`identity.sso.roles.${r}`) }))}
            value={form.jitRole}
            onChange={(v) => v && set('jitRole')(v)}
            allowDeselect={false}
            maw={400}
          />
        ) : null}
        <Feedback error={hasFields ? null : create.error} success={create.isSuccess ? t('identity.sso.created') : null} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Policy() {
  const policy = useSsoPolicy();
  return policy.data ? <PolicyForm policy={policy.data} /> : <Loading />;
}

function PolicyForm({ policy }: { policy: AuthPolicyBody }) {
  const { t } = useTranslation();
  const users = useQuery(usersQuery);
  const form = useContractForm(authPolicyUpdateSchema, { defaultValues: policy });
  const draft = form.watch();
  const save = useSsoMutation((body: AuthPolicyBody) => api<AuthPolicyBody>('/sso/policy', { method: 'PUT', body }));
  const fields = flatErrors(form.formState.errors);
  const hasFields = Object.keys(fields).length > 0;
  const admins = (users.data ?? []).filter((u) => u.role === 'site_admin' && u.status === 'active');
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((body) => save.mutate(body, { onError: (error) => setServerErrors(form, error) }))}
      aria-labelledby="policy-heading"
    >
      <Stack gap="sm">
        <Title order={2} size="h3" id="policy-heading">
          {t('identity.sso.policyHeading')}
        </Title>
        <Switch
          label={t('identity.sso.requireSso')}
          checked={draft.requireSso}
          onChange={(e) => patchValues(form, { requireSso: e.currentTarget.checked })}
          error={fieldError(fields, 'requireSso')}
        />
        <Select
          label={t('identity.sso.breakGlass')}
          data={admins.map((u) => ({ value: u.id, label: `${u.firstName} ${u.lastName} (${u.email})` }))}
          value={draft.breakGlassUserId}
          onChange={(v) => patchValues(form, { breakGlassUserId: v })}
          clearable
          error={fieldError(fields, 'breakGlassUserId')}
          maw={480}
        />
        <Switch
          label={t('identity.sso.requireMfa')}
          checked={draft.requireMfa}
          onChange={(e) => patchValues(form, { requireMfa: e.currentTarget.checked })}
        />
        <Feedback error={hasFields ? null : save.error} success={save.isSuccess ? t('identity.sso.policySaved') : null} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
