/**
 * `/privacy` (and `/privacy/versions/<n>`): Vetted's own privacy policy, public — the version in
 * effect in the reader's language, and the history of versions.
 */
import { Badge, Box, Container, Divider, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrivacyPolicyPublicBody, PrivacyPolicyVersionBody } from '../../../contracts/privacy-policy.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading } from '../../components/PageState.js';
import { PublicHeader } from '../../components/PublicLayout.js';
import { api, ApiError } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { Markdown } from './Markdown.js';

export function PrivacyPolicyPage() {
  const { number } = useParams({ strict: false }) as { number?: string };
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const policy = useQuery({
    queryKey: ['privacy-policy'],
    queryFn: () => api<PrivacyPolicyPublicBody>('/public/privacy-policy', { redirectOn401: false }),
  });
  const chosen = useQuery({
    queryKey: ['privacy-policy', number],
    queryFn: () => api<PrivacyPolicyVersionBody>(`/public/privacy-policy/versions/${encodeURIComponent(number ?? '')}`, { redirectOn401: false }),
    enabled: number !== undefined,
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  useEffect(() => {
    document.title = `${t('privacyPolicy.page.title')} — ${t('common.appName')}`;
  }, [t]);
  const fr = i18n.language === 'fr';
  const shown = number !== undefined ? chosen.data : policy.data?.current;

  return (
    <Box mih="100vh" bg="gray.0">
      <PublicHeader />
      <Container size="md" component="main" py="md">
        <Stack gap="md">
          <Title order={1}>{t('privacyPolicy.page.title')}</Title>
          {policy.isPending || (number !== undefined && chosen.isPending) ? (
            <Loading />
          ) : policy.error ? (
            <ErrorAlert error={policy.error} />
          ) : chosen.error ? (
            chosen.error instanceof ApiError && chosen.error.status === 404 ? <Text>{t('privacyPolicy.page.notFound')}</Text> : <ErrorAlert error={chosen.error} />
          ) : !shown ? (
            <Text>{t('privacyPolicy.page.none')}</Text>
          ) : (
            <article aria-labelledby="policy-version">
              <Text id="policy-version" c="dimmed" size="sm">
                {t('privacyPolicy.page.version', { number: shown.number, date: fmt.date(shown.effectiveOn) })}
              </Text>
              {number !== undefined ? (
                <Group gap="xs" mt="xs">
                  <Text size="sm">{t('privacyPolicy.page.showing', { number: shown.number })}</Text>
                  <AnchorLink to="/privacy" size="sm">
                    {t('privacyPolicy.page.showCurrent')}
                  </AnchorLink>
                </Group>
              ) : null}
              <Markdown source={fr ? shown.bodyFr : shown.bodyEn} lang={fr ? 'fr-CA' : 'en'} />
            </article>
          )}
          {policy.data && policy.data.history.length > 0 ? (
            <section aria-labelledby="policy-history">
              <Divider my="md" />
              <Title order={2} id="policy-history" size="h3">
                {t('privacyPolicy.page.history')}
              </Title>
              <List listStyleType="none" spacing="sm" mt="sm">
                {policy.data.history.map((v) => (
                  <List.Item key={v.id}>
                    <Group gap="xs">
                      <AnchorLink to="/privacy/versions/$number" params={{ number: String(v.number) }}>
                        {t('privacyPolicy.page.historyVersion', { number: v.number, date: fmt.date(v.effectiveOn) })}
                      </AnchorLink>
                      <Badge variant="light" color={v.kind === 'significant' ? 'orange' : 'gray'}>
                        {t(v.kind === 'significant' ? 'privacyPolicy.page.significant' : 'privacyPolicy.page.minor')}
                      </Badge>
                    </Group>
                    {(fr ? v.summaryFr : v.summaryEn) ? (
                      <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                        {fr ? v.summaryFr : v.summaryEn}
                      </Text>
                    ) : null}
                  </List.Item>
                ))}
              </List>
            </section>
          ) : null}
        </Stack>
      </Container>
    </Box>
  );
}
