/**
 * `/public/<slug>`: an institution's published list of approved apps, for parents and the public.
 * No session needed; filters by grade, school and text stay in the page (the list is small).
 */
import { Anchor, Badge, Box, Container, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicApp, PublicList } from '../../../contracts/public.js';
import { PublicHeader } from '../../components/PublicLayout.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { api, ApiError } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { formatGradeRanges } from '../../lib/grades.js';

export function PublicListPage() {
  const { slug } = useParams({ strict: false }) as { slug: string };
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['public-list', slug],
    queryFn: () => api<PublicList>(`/public/lists/${encodeURIComponent(slug)}`, { redirectOn401: false }),
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  const name = query.data?.institution.name;
  useEffect(() => {
    document.title = name ? `${t('publicList.page.title', { name })} — ${t('common.appName')}` : t('common.appName');
  }, [name, t]);

  return (
    <Box mih="100vh" bg="gray.0">
      <PublicHeader />
      <Container size="lg" component="main" py="md">
        {query.isPending ? (
          <Loading />
        ) : query.error ? (
          query.error instanceof ApiError && query.error.status === 404 ? (
            <Stack>
              <Title order={1}>{t('publicList.page.notFound')}</Title>
              <Text>{t('publicList.page.notFoundHint')}</Text>
            </Stack>
          ) : (
            <ErrorAlert error={query.error} />
          )
        ) : (
          <ListBody list={query.data} />
        )}
      </Container>
    </Box>
  );
}

function ListBody({ list }: { list: PublicList }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [grade, setGrade] = useState<string | null>(null);
  const [school, setSchool] = useState<string | null>(null);
  const [text, setText] = useState('');
  const { institution } = list;

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return list.apps.filter(
      (a) =>
        (!grade || a.grades.includes(grade as PublicApp['grades'][number])) &&
        (!school || a.schoolIds.length === 0 || a.schoolIds.includes(school)) &&
        (!needle || a.name.toLowerCase().includes(needle) || a.vendor.toLowerCase().includes(needle)),
    );
  }, [list.apps, grade, school, text]);
  const schoolName = new Map(institution.schools.map((s) => [s.id, s.name]));

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={1}>{t('publicList.page.title', { name: institution.name })}</Title>
        <Text>{t('publicList.page.intro', { name: institution.name })}</Text>
        {list.updatedAt ? (
          <Text size="sm" c="dimmed">
            {t('publicList.page.updated', { date: fmt.date(list.updatedAt) })}
          </Text>
        ) : null}
      </Stack>

      {list.apps.length === 0 ? (
        <Text>{t('publicList.page.empty')}</Text>
      ) : (
        <>
          <Paper component="section" aria-labelledby="public-filters" withBorder p="md">
            <Title order={2} size="h4" id="public-filters" mb="sm">
              {t('publicList.page.filters')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label={t('publicList.page.grade')}
                placeholder={t('publicList.page.anyGrade')}
                data={institution.gradeLevels.map((g) => ({ value: g, label: t(`grade.${g}`) }))}
                value={grade}
                onChange={setGrade}
                clearable
              />
              {institution.schools.length > 0 ? (
                <Select
                  label={t('publicList.page.school')}
                  placeholder={t('publicList.page.anySchool')}
                  data={institution.schools.map((s) => ({ value: s.id, label: s.name }))}
                  value={school}
                  onChange={setSchool}
                  clearable
                  searchable
                />
              ) : null}
              <TextInput label={t('publicList.page.search')} value={text} onChange={(e) => setText(e.currentTarget.value)} type="search" />
            </SimpleGrid>
          </Paper>

          <Text role="status" aria-live="polite" fw={500}>
            {t('publicList.page.count', { count: shown.length })}
          </Text>
          {shown.length === 0 ? <Text>{t('publicList.page.none')}</Text> : null}
          <Stack component="ul" gap="md" p={0} style={{ listStyle: 'none' }}>
            {shown.map((app) => (
              <AppEntry key={app.id} app={app} schoolName={schoolName} />
            ))}
          </Stack>
        </>
      )}
      <Text size="sm" c="dimmed" component="footer">
        {t('publicList.page.footer')}
      </Text>
    </Stack>
  );
}

function AppEntry({ app, schoolName }: { app: PublicApp; schoolName: Map<string, string> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const headingId = `app-${app.id}`;
  const schools = app.schoolIds.map((id) => schoolName.get(id)).filter((n): n is string => Boolean(n));
  return (
    <Paper component="li" withBorder p="md" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={2} size="h3" id={headingId}>
            {app.name}
          </Title>
          {app.vendor ? (
            <Text size="sm" c="dimmed">
              {t('publicList.page.by', { vendor: app.vendor })}
            </Text>
          ) : null}
        </div>
        <Badge color={app.status === 'approved' ? 'green' : 'teal'} variant="light">
          {t(`publicList.page.${app.status}`)}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
        <Fact label={t('publicList.page.grades')}>{app.grades.length ? formatGradeRanges(app.grades, (g) => t(`grade.${g}`)) : '—'}</Fact>
        <Fact label={t('publicList.page.schools')}>{schools.length ? fmt.list(schools) : t('publicList.page.allSchools')}</Fact>
        <Fact label={t('publicList.page.audiences')}>{fmt.list(app.audiences.map((a) => t(`audience.${a}`)))}</Fact>
        <Fact label={t('publicList.page.storage')}>
          {app.storageCountries.length ? fmt.list(app.storageCountries.map(fmt.country)) : t('publicList.page.storageUnknown')}
        </Fact>
        <Fact label={t('publicList.page.dataElements')} wide>
          {fmt.list(app.dataElements.map((d) => t(`dataElement.${d}`)))}
        </Fact>
        {app.purpose ? (
          <Fact label={t('publicList.page.purpose')} wide>
            {app.purpose}
          </Fact>
        ) : null}
        {app.conditionsOfUse ? (
          <Fact label={t('publicList.page.conditions')} wide>
            <span style={{ whiteSpace: 'pre-line' }}>{app.conditionsOfUse}</span>
          </Fact>
        ) : null}
      </SimpleGrid>
      <Group mt="sm" gap="lg">
        {app.website ? (
          <Anchor href={app.website} rel="noopener noreferrer" target="_blank">
            {t('publicList.page.website')}
            <span className="visually-hidden">{` — ${app.name}`}</span>
          </Anchor>
        ) : null}
        {app.privacyPolicyUrl ? (
          <Anchor href={app.privacyPolicyUrl} rel="noopener noreferrer" target="_blank">
            {t('publicList.page.privacyPolicy')}
            <span className="visually-hidden">{` — ${app.name}`}</span>
          </Anchor>
        ) : null}
        {app.approvedOn ? (
          <Text size="sm" c="dimmed">
            {t('publicList.page.approvedOn', { date: fmt.date(app.approvedOn) })}
          </Text>
        ) : null}
      </Group>
    </Paper>
  );
}

function Fact({ label, children, wide }: { label: string; children: React.ReactNode; wide?: boolean }) {
  return (
    <div style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <Text component="dt" size="sm" fw={600}>
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}
