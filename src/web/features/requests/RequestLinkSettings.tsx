/** Settings panel (site admins): open the staff request page, replace its link, or close it. */
import { Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
      </Stack>
    </Paper>
  );
}
