/** The notice of a significant privacy-policy change, shown to a site admin until acknowledged. */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PrivacyPolicyNoticeBody } from '../../../contracts/privacy-policy.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';

export function PrivacyNoticeBanner() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const client = useQueryClient();
  const notices = useQuery({ queryKey: ['privacy-notices'], queryFn: () => api<PrivacyPolicyNoticeBody[]>('/privacy-policy/notices') });
  const acknowledge = useMutation({
    mutationFn: (versionId: string) => api(`/privacy-policy/notices/${versionId}/acknowledge`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['privacy-notices'] }),
  });
  const notice = notices.data?.[0];
  if (!notice) return null;
  const summary = i18n.language === 'fr' ? notice.summaryFr : notice.summaryEn;
  return (
    <Alert color="orange" mb="md" title={t('privacyPolicy.notice.title', { number: notice.number, date: fmt.date(notice.effectiveOn) })} role="region" aria-label={t('privacyPolicy.notice.title', { number: notice.number, date: fmt.date(notice.effectiveOn) })}>
      <Stack gap="xs">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {summary}
        </Text>
        <Group gap="sm">
          <Button component="a" href="/privacy" target="_blank" variant="default" size="compact-sm">
            {t('privacyPolicy.notice.read')}
          </Button>
          <Button size="compact-sm" onClick={() => acknowledge.mutate(notice.versionId)} loading={acknowledge.isPending}>
            {t('privacyPolicy.notice.acknowledge')}
          </Button>
        </Group>
        {acknowledge.error ? <ErrorAlert error={acknowledge.error} /> : null}
      </Stack>
    </Alert>
  );
}
