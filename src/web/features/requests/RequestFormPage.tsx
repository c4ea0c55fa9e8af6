/**
 * `/staff-request?token=…`: the page staff ask for an app on, reached by the link their institution
 * shares internally, or (`/staff-request`, no token) after their institution's single sign-on, whose
 * ticket is an http-only cookie the page never sees (`?sso=<reason>` when the sign-in was refused).
 * No session. The status page's link is shown once, after sending.
 */
import {
  Anchor,
  Box,
  Button,
  Combobox,
  Container,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  useCombobox,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIENCES, DATA_ELEMENT_CODES } from '../../../contracts/domain.js';
import { staffRequestCreateSchema, type RequestPage, type StaffRequestCreate } from '../../../contracts/requests.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { PublicHeader } from '../../components/PublicLayout.js';
import { api, ApiError, fieldError, toQueryString } from '../../lib/api.js';
import { draftOn, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';

export function RequestFormPage() {
  const { token, sso } = useSearch({ strict: false }) as { token?: string; sso?: string };
  const { t } = useTranslation();
  const page = useQuery({
    queryKey: ['staff-request-page', token],
    queryFn: () => api<RequestPage>(`/public/staff-requests/page${toQueryString({ token })}`, { redirectOn401: false }),
    // Without a token the single sign-on ticket (cookie) may open the page; a refused sign-in did not.
    enabled: !sso,
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  const name = page.data?.institution.name;
  useEffect(() => {
    document.title = name ? `${t('staffRequests.form.title', { name })} — ${t('common.appName')}` : t('common.appName');
  }, [name, t]);
  const missing = !!sso || (page.error instanceof ApiError && page.error.status === 404);
  const ssoFailure = sso === 'no_account' || sso === 'unavailable' ? sso : 'other';

  return (
    <Box mih="100vh" bg="gray.0">
      <PublicHeader />
      <Container size="sm" component="main" py="md">
        {missing ? (
          <Stack>
            <Title order={1}>{t('staffRequests.form.notFound')}</Title>
            {sso ? (
              <Text role="alert">{t(`staffRequests.form.ssoFailed.${ssoFailure}`)}</Text>
            ) : (
              <Text>{t(token ? 'staffRequests.form.notFoundHint' : 'staffRequests.form.notFoundSsoHint')}</Text>
            )}
          </Stack>
        ) : page.isPending ? (
          <Loading />
        ) : page.error ? (
          <ErrorAlert error={page.error} />
        ) : (
          <RequestForm token={token} page={page.data} />
        )}
      </Container>
    </Box>
  );
}

interface CatalogHit {
  id: string;
  name: string;
  vendor: string;
}

interface RequestDraft {
  chosen: CatalogHit | null;
  appName: string;
  appWebsite: string;
  purpose: string;
  grades: string[];
  schoolIds: string[];
  audiences: string[];
  studentCount: number | string;
  dataElements: string[];
  email: string;
}

const emptyRequest: RequestDraft = {
  chosen: null,
  appName: '',
  appWebsite: '',
  purpose: '',
  grades: [],
  schoolIds: [],
  audiences: ['students'],
  studentCount: '',
  dataElements: [],
  email: '',
};

/** The request as the API takes it: the app chosen or the name typed, blanks left out. */
function requestOf(
  { chosen, appName, appWebsite, studentCount, email, ...rest }: RequestDraft,
  token: string | undefined,
  language: string,
) {
  return {
    token,
    ...(chosen ? { catalogAppId: chosen.id } : { appName: appName.trim() || undefined }),
    ...(appWebsite.trim() && !chosen ? { appWebsite: appWebsite.trim() } : {}),
    ...rest,
    ...(studentCount === '' ? {} : { studentCount: Number(studentCount) }),
    ...(email.trim() ? { email: email.trim() } : {}),
    language: language === 'fr' ? 'fr' : 'en',
  };
}

function RequestForm({ token, page }: { token: string | undefined; page: RequestPage }) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const form = useContractForm(
    draftOn(staffRequestCreateSchema, (draft: RequestDraft) => requestOf(draft, token, i18n.language)),
    { defaultValues: emptyRequest },
  );
  const { chosen, appName, appWebsite, purpose, grades, schoolIds, audiences, studentCount, dataElements, email } = form.watch();
  const set = (patch: Partial<RequestDraft>) => patchValues(form, patch);
  const combobox = useCombobox();
  const q = search.trim();
  const hits = useQuery({
    queryKey: ['staff-request-apps', token, q],
    queryFn: () => api<{ items: CatalogHit[] }>(`/public/staff-requests/apps${toQueryString({ token, q })}`, { redirectOn401: false }),
    enabled: q.length >= 2 && !chosen,
  });
  const send = useMutation({
    mutationFn: (body: StaffRequestCreate) =>
      api<{ statusToken: string }>('/public/staff-requests', { method: 'POST', redirectOn401: false, body }),
    onError: (error) => setServerErrors(form, error),
  });
  const fields = flatErrors(form.formState.errors);
  const onSubmit = form.handleSubmit((body) => send.mutate(body));

  if (send.data) {
    const link = `${window.location.origin}/staff-request/status?token=${encodeURIComponent(send.data.statusToken)}`;
    return (
      <Paper withBorder p="lg">
        <Stack>
          <Title order={1}>{t('staffRequests.form.sentTitle')}</Title>
          <Text>{t('staffRequests.form.sentIntro')}</Text>
          <Anchor href={link} data-testid="status-link" style={{ wordBreak: 'break-all' }}>
            {t('staffRequests.form.statusLink')}
          </Anchor>
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {link}
          </Text>
        </Stack>
      </Paper>
    );
  }

  return (
    <Paper withBorder p="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={1}>{t('staffRequests.form.title', { name: page.institution.name })}</Title>
          <Text>{t('staffRequests.form.intro')}</Text>
          {page.access === 'sso' ? <Text size="sm">{t('staffRequests.form.viaSso')}</Text> : null}
          <Title order={2} size="h4">
            {t('staffRequests.form.app')}
          </Title>
          {chosen ? (
            <Group>
              <Text fw={600}>{t('staffRequests.form.chosen', { name: `${chosen.name} (${chosen.vendor})` })}</Text>
              <Button variant="default" size="xs" onClick={() => set({ chosen: null })}>
                {t('staffRequests.form.clearChoice')}
              </Button>
            </Group>
          ) : (
            <>
              <Combobox
                store={combobox}
                onOptionSubmit={(id) => {
                  const hit = hits.data?.items.find((h) => h.id === id);
                  if (hit) set({ chosen: hit });
                  combobox.closeDropdown();
                }}
              >
                <Combobox.Target>
                  <TextInput
                    label={t('staffRequests.form.appSearch')}
                    description={t('staffRequests.form.appSearchHint')}
                    value={search}
                    onChange={(e) => {
                      setSearch(e.currentTarget.value);
                      combobox.openDropdown();
                    }}
                    onFocus={() => combobox.openDropdown()}
                    onBlur={() => combobox.closeDropdown()}
                    error={fieldError(fields, 'catalogAppId')}
                    autoComplete="off"
                  />
                </Combobox.Target>
                <Combobox.Dropdown hidden={q.length < 2}>
                  <Combobox.Options>
                    {(hits.data?.items ?? []).map((h) => (
                      <Combobox.Option value={h.id} key={h.id}>
                        {h.name} — {h.vendor}
                      </Combobox.Option>
                    ))}
                    {hits.data && hits.data.items.length === 0 ? <Combobox.Empty>{t('staffRequests.form.noMatch')}</Combobox.Empty> : null}
                  </Combobox.Options>
                </Combobox.Dropdown>
              </Combobox>
              <TextInput
                label={t('staffRequests.form.appName')}
                value={appName}
                onChange={(e) => set({ appName: e.currentTarget.value })}
                error={fieldError(fields, 'appName')}
              />
              <TextInput
                label={t('staffRequests.form.appWebsite')}
                type="url"
                value={appWebsite}
                onChange={(e) => set({ appWebsite: e.currentTarget.value })}
                error={fieldError(fields, 'appWebsite')}
              />
            </>
          )}
          <Textarea
            label={t('staffRequests.form.purpose')}
            description={t('staffRequests.form.purposeHint')}
            required
            autosize
            minRows={2}
            value={purpose}
            onChange={(e) => set({ purpose: e.currentTarget.value })}
            error={fieldError(fields, 'purpose')}
          />
          <MultiSelect
            label={t('staffRequests.form.grades')}
            data={page.institution.gradeLevels.map((g) => ({ value: g, label: t(`grade.${g}`) }))}
            value={grades}
            onChange={(v) => set({ grades: v })}
            error={fieldError(fields, 'grades')}
          />
          {page.schools.length ? (
            <MultiSelect
              label={t('staffRequests.form.schools')}
              data={page.schools.map((s) => ({ value: s.id, label: s.name }))}
              value={schoolIds}
              onChange={(v) => set({ schoolIds: v })}
              error={fieldError(fields, 'schoolIds')}
            />
          ) : null}
          <MultiSelect
            label={t('staffRequests.form.audiences')}
            data={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
            value={audiences}
            onChange={(v) => set({ audiences: v })}
            error={fieldError(fields, 'audiences')}
          />
          <NumberInput
            label={t('staffRequests.form.studentCount')}
            min={0}
            value={studentCount}
            onChange={(v) => set({ studentCount: v })}
            error={fieldError(fields, 'studentCount')}
          />
          <MultiSelect
            label={t('staffRequests.form.dataElements')}
            data={DATA_ELEMENT_CODES.map((d) => ({ value: d, label: t(`dataElement.${d}`) }))}
            value={dataElements}
            onChange={(v) => set({ dataElements: v })}
            searchable
            error={fieldError(fields, 'dataElements')}
          />
          <TextInput
            label={t('staffRequests.form.email')}
            description={t('staffRequests.form.emailHint')}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => set({ email: e.currentTarget.value })}
            error={fieldError(fields, 'email')}
          />
          <Feedback error={send.error} />
          <Group>
            <Button type="submit" loading={send.isPending}>
              {t('staffRequests.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
