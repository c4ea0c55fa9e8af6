/**
 * Email domains of single sign-on: a site admin claims a domain, publishes its DNS TXT record and
 * checks it; a platform admin may approve a claim instead. Also the accounts a site admin lets one
 * provider sign in whatever their email domain.
 */
import { Badge, Button, Card, Code, CopyButton, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format.js';
import { ssoAccountLinkParamsSchema, ssoDomainClaimSchema, type SsoConnectionBody, type SsoDomainBody } from '../../../contracts/auth.js';
import { Feedback } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { api, fieldError } from '../../lib/api.js';
import { fieldErrorsOf } from '../../lib/errors.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { usersQuery } from '../../lib/queries.js';
import { ssoConnectionsKey } from './api.js';

export const ssoDomainsKey = ['sso-domains'] as const;
type AccountLink = { userId: string; email: string; firstName: string; lastName: string; createdAt: string };

function useDomainMutation<I, O>(fn: (input: I) => Promise<O>, extraKey?: readonly unknown[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ssoDomainsKey });
      void queryClient.invalidateQueries({ queryKey: ssoConnectionsKey });
      if (extraKey) void queryClient.invalidateQueries({ queryKey: extraKey });
    },
  });
}

/** A value to publish, selectable, with a button that copies it. */
function Copyable({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Text size="sm" fw={500} miw={60}>
        {label}
      </Text>
      <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="default" onClick={copy} aria-label={`${t('identity.sso.domains.copy')} — ${label}`}>
            {copied ? t('identity.sso.domains.copied') : t('identity.sso.domains.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

/** How a claim stands: verified (by DNS, or approved by whom and when) or pending. */
export function DomainStatus({ domain }: { domain: SsoDomainBody }) {
  const { t } = useTranslation();
  const format = useFormat();
  const when = domain.verifiedAt ? format.dateTime(domain.verifiedAt) : '';
  return (
    <Group gap="xs">
      <Badge color={domain.status === 'verified' ? 'green' : 'yellow'} variant="light">
        {t(`identity.sso.domains.status.${domain.status}`)}
      </Badge>
      {domain.status === 'verified' ? (
        <Text size="sm">
          {domain.method === 'operator'
            ? t('identity.sso.domains.approvedBy', { name: domain.approvedBy ?? '—', when })
            : t('identity.sso.domains.verifiedByDns', { when })}
        </Text>
      ) : null}
    </Group>
  );
}

/** One claim: its domain and status, then what can be done with it. */
function DomainCard({ domain, children }: { domain: SsoDomainBody; children: ReactNode }) {
  return (
    <Card withBorder data-testid="sso-domain">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{domain.domain}</Text>
          <DomainStatus domain={domain} />
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

/** The TXT record that proves control of a pending claim. */
function DomainRecord({ domain }: { domain: SsoDomainBody }) {
  const { t } = useTranslation();
  return (
    <>
      <Copyable label={t('identity.sso.domains.recordName')} value={domain.record.name} />
      <Copyable label={t('identity.sso.domains.recordType')} value={domain.record.type} />
      <Copyable label={t('identity.sso.domains.recordValue')} value={domain.record.value} />
    </>
  );
}

type DomainAction = { mutate: (id: string) => void; isPending: boolean; variables: string | undefined; error: Error | null };

/** A button acting on one claim, named with its domain, busy while its own request runs. */
function DomainButton({ action, domain, label, danger }: { action: DomainAction; domain: SsoDomainBody; label: string; danger?: boolean }) {
  return (
    <Button
      size="xs"
      variant={danger ? 'default' : undefined}
      color={danger ? 'red' : undefined}
      onClick={() => action.mutate(domain.id)}
      loading={action.isPending && action.variables === domain.id}
      aria-label={`${label} — ${domain.domain}`}
    >
      {label}
    </Button>
  );
}

/** The field error the server gave for this claim's last action, if any. */
function DomainError({ action, domain }: { action: DomainAction; domain: SsoDomainBody }) {
  const fields = fieldErrorsOf(action.error);
  if (action.variables !== domain.id || !fields) return null;
  return (
    <Text size="sm" c="red.8" role="alert">
      {fieldError(fields, 'domain')}
    </Text>
  );
}

/** The site admin's section: claims, the TXT record of each pending one, and its check. */
export function SsoDomainsSection() {
  const { t } = useTranslation();
  const domains = useQuery({ queryKey: ssoDomainsKey, queryFn: () => api<{ items: SsoDomainBody[] }>('/sso/domains') });
  const form = useContractForm(ssoDomainClaimSchema, { defaultValues: { domain: '' } });
  const claim = useDomainMutation((domain: string) => api<SsoDomainBody>('/sso/domains', { method: 'POST', body: { domain } }));
  const verify = useDomainMutation((id: string) => api<SsoDomainBody>(`/sso/domains/${id}/verify`, { method: 'POST' }));
  const release = useDomainMutation((id: string) => api<void>(`/sso/domains/${id}`, { method: 'DELETE' }));
  const fields = fieldErrorsOf(claim.error);
  const releaseFields = fieldErrorsOf(release.error);
  const verifyFields = fieldErrorsOf(verify.error);
  const checked = verify.data;
  return (
    <Stack component="section" aria-labelledby="domains-heading" gap="sm">
      <Title order={2} size="h3" id="domains-heading">
        {t('identity.sso.domains.heading')}
      </Title>
      <Text size="sm">{t('identity.sso.domains.intro')}</Text>
      {!domains.data ? <Loading /> : null}
      {domains.data && domains.data.items.length === 0 ? <Text c="dimmed">{t('identity.sso.domains.none')}</Text> : null}
      {domains.data?.items.map((d) => (
        <DomainCard key={d.id} domain={d}>
          {d.status === 'pending' ? (
            <>
              <Text size="sm">{t('identity.sso.domains.publish')}</Text>
              <DomainRecord domain={d} />
              <Text size="sm" c="dimmed">
                {t('identity.sso.domains.orOperator')}
              </Text>
              {d.lastCheckError ? (
                <Text size="sm" c="red.8" role={checked?.id === d.id ? 'alert' : undefined}>
                  {t(`identity.sso.domains.checkErrors.${d.lastCheckError}`)}
                </Text>
              ) : null}
            </>
          ) : null}
          <Group gap="xs">
            {d.status === 'pending' ? <DomainButton action={verify} domain={d} label={t('identity.sso.domains.verify')} /> : null}
            <DomainButton action={release} domain={d} label={t('identity.sso.domains.release')} danger />
          </Group>
          <DomainError action={release} domain={d} />
          <DomainError action={verify} domain={d} />
        </DomainCard>
      ))}
      <Feedback
        error={(releaseFields ? null : release.error) ?? (verifyFields ? null : verify.error)}
        success={checked?.status === 'verified' ? t('identity.sso.domains.verified', { domain: checked.domain }) : null}
      />
      <form
        onSubmit={form.handleSubmit(({ domain }) =>
          claim.mutate(domain, { onSuccess: () => form.reset(), onError: (e) => setServerErrors(form, e) }),
        )}
        noValidate
        aria-labelledby="claim-domain-heading"
      >
        <Stack gap="xs">
          <Title order={3} size="h4" id="claim-domain-heading">
            {t('identity.sso.domains.claim')}
          </Title>
          <Group align="flex-end">
            <TextInput
              label={t('identity.sso.domains.domain')}
              description={t('identity.sso.domains.domainHint')}
              required
              {...form.register('domain')}
              error={errorOf(form.formState.errors, 'domain')}
              maw={400}
            />
            <Button type="submit" loading={claim.isPending}>
              {t('identity.sso.domains.claimButton')}
            </Button>
          </Group>
          <Feedback error={fields ? null : claim.error} success={claim.isSuccess ? t('identity.sso.domains.claimed') : null} />
        </Stack>
      </form>
    </Stack>
  );
}

/** Accounts one provider may sign in although it does not cover their email domain (the break-glass admin, guests). */
export function AccountLinks({ connection }: { connection: SsoConnectionBody }) {
  const { t } = useTranslation();
  const key = ['sso-links', connection.id] as const;
  const links = useQuery({ queryKey: key, queryFn: () => api<{ items: AccountLink[] }>(`/sso/connections/${connection.id}/links`) });
  const users = useQuery(usersQuery);
  const form = useContractForm(ssoAccountLinkParamsSchema.pick({ userId: true }), { defaultValues: { userId: '' } });
  const userId = form.watch('userId');
  const link = useDomainMutation((id: string) => api<AccountLink>(`/sso/connections/${connection.id}/links/${id}`, { method: 'PUT' }), key);
  const unlink = useDomainMutation((id: string) => api<void>(`/sso/connections/${connection.id}/links/${id}`, { method: 'DELETE' }), key);
  const linked = new Set((links.data?.items ?? []).map((l) => l.userId));
  const candidates = (users.data ?? []).filter((u) => u.status === 'active' && !linked.has(u.id));
  const label = `${t('identity.sso.links.heading')} — ${connection.displayName}`;
  return (
    <Stack gap="xs" component="section" aria-label={label}>
      <Text size="sm" fw={600}>
        {t('identity.sso.links.heading')}
      </Text>
      <Text size="sm" c="dimmed">
        {t('identity.sso.links.intro')}
      </Text>
      {links.data && links.data.items.length > 0 ? (
        <Table>
          <Table.Caption>{label}</Table.Caption>
          <Table.Tbody>
            {links.data.items.map((l) => (
              <Table.Tr key={l.userId}>
                <Table.Th scope="row" fw={400}>
                  {l.firstName} {l.lastName} ({l.email})
                </Table.Th>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="default"
                    color="red"
                    onClick={() => unlink.mutate(l.userId)}
                    aria-label={`${t('identity.sso.links.remove')} — ${l.email}`}
                  >
                    {t('identity.sso.links.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <form
        onSubmit={form.handleSubmit((body) => link.mutate(body.userId, { onSuccess: () => form.reset() }))}
        noValidate
        aria-label={`${t('identity.sso.links.add')} — ${connection.displayName}`}
      >
        <Group align="flex-end">
          <Select
            label={t('identity.sso.links.person')}
            data={candidates.map((u) => ({ value: u.id, label: `${u.firstName} ${u.lastName} (${u.email})` }))}
            value={userId || null}
            onChange={(v) => form.setValue('userId', v ?? '')}
            searchable
            clearable
            maw={420}
          />
          <Button type="submit" size="xs" variant="default" disabled={!userId} loading={link.isPending}>
            {t('identity.sso.links.add')}
          </Button>
        </Group>
      </form>
      <Feedback error={link.error ?? unlink.error} />
    </Stack>
  );
}

/** The operator console: an institution's claims, each pending one approvable after checking outside Vetted. */
export function InstitutionDomains({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const key = ['institution-sso-domains', institutionId] as const;
  const queryClient = useQueryClient();
  const domains = useQuery({ queryKey: key, queryFn: () => api<{ items: SsoDomainBody[] }>(`/institutions/${institutionId}/sso-domains`) });
  const approve = useMutation({
    mutationFn: (id: string) => api<SsoDomainBody>(`/institutions/${institutionId}/sso-domains/${id}/approve`, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  const fields = fieldErrorsOf(approve.error);
  if (!domains.data) return <Loading />;
  return (
    <Stack gap="sm">
      <Text size="sm">{t('identity.sso.domains.operatorIntro')}</Text>
      {domains.data.items.length === 0 ? <Text c="dimmed">{t('identity.sso.domains.none')}</Text> : null}
      {domains.data.items.map((d) => (
        <DomainCard key={d.id} domain={d}>
          {d.status === 'pending' ? (
            <>
              <DomainRecord domain={d} />
              <Group>
                <DomainButton action={approve} domain={d} label={t('identity.sso.domains.approve')} />
              </Group>
              <DomainError action={approve} domain={d} />
            </>
          ) : null}
        </DomainCard>
      ))}
      <Feedback error={fields ? null : approve.error} success={approve.isSuccess ? t('identity.sso.domains.approved') : null} />
    </Stack>
  );
}
