/**
 * Settings panel (site admins): open the staff request page, replace its link, or close it; and open
 * it to staff through each of the institution's identity providers.
 */
import { Button, Code, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SsoConnectionBody } from '../../../contracts/auth.js';
import type { RequestLink } from '../../../contracts/requests.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';

const key = ['staff-request-link'] as const;

export function RequestLinkSettings() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const link = useQuery({ queryKey: key, queryFn: () => api<RequestLink>('/staff-requests/link') });
  const [fresh, setFresh] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const open = useMutation({
    mutationFn: () => api<{ token: string; openedAt: string }>('/staff-requests/link', { method: 'POST' }),
    onMutate: () => setMessage(null),
    onSuccess: (r) => {
      setFresh(`${window.location.origin}/staff-request?token=${encodeURIComponent(r.token)}`);
      setMessage(t(link.data?.open ? 'staffRequests.settings.rotated' : 'staffRequests.settings.opened'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const close = useMutation({
    mutationFn: () => api<void>('/staff-requests/link', { method: 'DELETE' }),
    onMutate: () => setMessage(null),
    onSuccess: () => {
      setFresh(null);
      setMessage(t('staffRequests.settings.closedDone'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const isOpen = link.data?.open ?? false;

  return (
    <Paper component="section" withBorder p="md" aria-labelledby="staff-request-settings">
      <Stack>
        <Title order={2} size="h3" id="staff-request-settings">
          {t('staffRequests.settings.title')}
        </Title>
        <Text size="sm">{t('staffRequests.settings.intro')}</Text>
        <Text>{isOpen ? t('staffRequests.settings.open', { date: fmt.dateTime(link.data!.openedAt!) }) : t('staffRequests.settings.closed')}</Text>
        {fresh ? (
          <Stack gap={4}>
            <Text size="sm">{t('staffRequests.settings.newLink')}</Text>
            <Code block data-testid="request-link" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {fresh}
            </Code>
          </Stack>
        ) : null}
        <Feedback success={message} error={open.error ?? close.error} />
        <Group>
          <Button onClick={() => open.mutate()} loading={open.isPending}>
            {isOpen ? t('staffRequests.settings.rotate') : t('staffRequests.settings.openButton')}
          </Button>
          {isOpen ? (
            <Button variant="default" color="red" onClick={() => close.mutate()} loading={close.isPending}>
              {t('staffRequests.settings.close')}
            </Button>
          ) : null}
        </Group>
        <SsoEntrySettings />
      </Stack>
    </Paper>
  );
}

const ssoKey = ['sso-connections'] as const;

/** Each identity provider of the institution, opened to staff requests or not, with the address staff start from. */
function SsoEntrySettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const connections = useQuery({ queryKey: ssoKey, queryFn: () => api<{ items: SsoConnectionBody[] }>('/sso/connections') });
  const [message, setMessage] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: ({ id, on }: { id: string; on: boolean }) =>
      api<SsoConnectionBody>(`/sso/connections/${id}`, { method: 'PATCH', body: { staffRequests: on } }),
    onMutate: () => setMessage(null),
    onSuccess: (c) => {
      setMessage(t(c.staffRequests ? 'staffRequests.settings.ssoOn' : 'staffRequests.settings.ssoOff', { name: c.displayName }));
      void queryClient.invalidateQueries({ queryKey: ssoKey });
    },
  });
  const items = (connections.data?.items ?? []).filter((c) => c.enabled);
  if (!items.length) return null;
  return (
    <Stack component="section" aria-labelledby="staff-request-sso" gap="sm">
      <Title order={3} size="h4" id="staff-request-sso">
        {t('staffRequests.settings.ssoTitle')}
      </Title>
      <Text size="sm">{t('staffRequests.settings.ssoIntro')}</Text>
      {items.map((c) => (
        <Stack key={c.id} gap={4}>
          <Switch
            label={t('staffRequests.settings.ssoSwitch', { name: c.displayName })}
            checked={c.staffRequests}
            disabled={toggle.isPending}
            onChange={(e) => toggle.mutate({ id: c.id, on: e.currentTarget.checked })}
          />
          {c.staffRequests ? (
            <>
              <Text size="sm">{t('staffRequests.settings.ssoAddress', { name: c.displayName })}</Text>
              <Code block data-testid={`request-sso-link-${c.id}`} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                {c.staffRequestUrl}
              </Code>
            </>
          ) : null}
        </Stack>
      ))}
      <Feedback success={message} error={toggle.error} />
    </Stack>
  );
}
