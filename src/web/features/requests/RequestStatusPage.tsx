/** `/staff-request/status?token=…`: where a staff member's request stands, its decision and the guidance. No session. */
import { Alert, Box, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffRequestStatusView } from '../../../contracts/requests.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { PublicHeader } from '../../components/PublicLayout.js';
import { api, ApiError, toQueryString } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';

export function RequestStatusPage() {
  const { token } = useSearch({ strict: false }) as { token?: string };
  const { t } = useTranslation();
  const fmt = useFormat();
  const query = useQuery({
    queryKey: ['staff-request-status', token],
    queryFn: () => api<StaffRequestStatusView>(`/public/staff-requests/status${toQueryString({ token })}`, { redirectOn401: false }),
    enabled: !!token,
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  const app = query.data?.appName;
  useEffect(() => {
    document.title = app ? `${t('staffRequests.status.title', { app })} — ${t('common.appName')}` : t('common.appName');
  }, [app, t]);
  const missing = !token || (query.error instanceof ApiError && query.error.status === 404);
  const s = query.data;
  const decided = s && ['approved', 'approved_with_conditions', 'not_approved', 'declined'].includes(s.stage);

  return (
    <Box mih="100vh" bg="gray.0">
      <PublicHeader />
      <Container size="sm" component="main" py="md">
        {missing ? (
          <Title order={1}>{t('staffRequests.status.notFound')}</Title>
        ) : query.isPending ? (
          <Loading />
        ) : query.error ? (
          <ErrorAlert error={query.error} />
        ) : s ? (
          <Paper withBorder p="lg">
            <Stack>
              <Title order={1}>{t('staffRequests.status.title', { app: s.appName })}</Title>
              <Text>{t('staffRequests.status.submitted', { institution: s.institutionName, date: fmt.date(s.submittedAt) })}</Text>
              <Alert color={s.stage === 'approved' || s.stage === 'approved_with_conditions' ? 'green' : decided ? 'red' : 'blue'} title={decided ? t('staffRequests.status.decision') : undefined}>
                <Text data-testid="request-stage">{t(`staffRequests.status.stage.${s.stage}`)}</Text>
              </Alert>
              {s.declineReason ? (
                <Stack gap={4}>
                  <Title order={2} size="h4">
                    {t('staffRequests.status.reason')}
                  </Title>
                  <Text style={{ whiteSpace: 'pre-wrap' }}>{s.declineReason}</Text>
                </Stack>
              ) : null}
              {s.guidance ? (
                <Stack gap={4}>
                  <Title order={2} size="h4">
                    {t('staffRequests.status.guidance')}
                  </Title>
                  <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="request-guidance">
                    {s.guidance}
                  </Text>
                </Stack>
              ) : null}
            </Stack>
          </Paper>
        ) : null}
      </Container>
    </Box>
  );
}
