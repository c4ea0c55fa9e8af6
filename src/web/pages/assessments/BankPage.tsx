/** `/bank` and `/bank/$templateId`: the operator's master bank — versions, draft editing, publishing. */
import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankSectionInput, BankVersionBody } from '../../../contracts/assessments.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { bankQuery, bankTemplateQuery, bankVersionQuery } from './queries.js';

export function BankListPage() {
  const { t } = useTranslation();
  const list = useQuery(bankQuery());
  return (
    <Stack>
      <Title order={1}>{t('assessments.bank.title')}</Title>
      {list.isPending ? <Loading /> : list.isError ? <ErrorAlert error={list.error} /> : (
        <Table striped>
          <Table.Tbody>
            {list.data.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>
                  <AnchorLink to="/bank/$templateId" params={{ templateId: b.id }}>
                    {b.title}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>{b.isGeneric ? <Badge>{t('assessments.bank.generic')}</Badge> : b.catalogAppName ? t('assessments.bank.forApp', { name: b.catalogAppName }) : null}</Table.Td>
                <Table.Td>{b.latestPublished ? t('assessments.bank.latest', { number: b.latestPublished.number }) : null}</Table.Td>
                <Table.Td>{b.jurisdictions.join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const route = getRouteApi('/_app/bank/$templateId');

/** The version content as the draft editor sends it back. */
function asInput(v: BankVersionBody): BankSectionInput[] {
  return v.sections.map((s) => ({
    key: s.key,
    code: s.code,
    title: s.title,
    description: s.description,
    questions: s.questions.map((q) => ({ key: q.key, kind: q.kind, prompt: q.prompt, guidance: q.guidance, options: q.options, required: q.required, locked: q.locked, preAnswer: q.preAnswer ?? undefined, condition: q.condition, jurisdictions: q.jurisdictions as BankSectionInput['questions'][number]['jurisdictions'] })),
  }));
}

export function BankTemplatePage() {
  const { t } = useTranslation();
  const { templateId } = route.useParams();
  const queryClient = useQueryClient();
  const template = useQuery(bankTemplateQuery(templateId));
  const draftMeta = template.data?.versions.find((v) => v.status === 'draft');
  const shownId = draftMeta?.id ?? template.data?.latestPublished?.id;
  const version = useQuery({ ...bankVersionQuery(shownId ?? ''), enabled: Boolean(shownId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['bank'] });
  // Kept here: publishing replaces the draft editor by the read-only version.
  const [published, setPublished] = useState<string | null>(null);
  const newDraft = useMutation({ mutationFn: () => api<BankVersionBody>(`/bank/templates/${templateId}/versions`, { method: 'POST' }), onSuccess: refresh });
  if (template.isPending) return <Loading />;
  if (template.isError) return <ErrorAlert error={template.error} />;
  const tpl = template.data;
  return (
    <Stack>
      <AnchorLink to="/bank" size="sm">
        ← {t('assessments.bank.title')}
      </AnchorLink>
      <Title order={1}>{tpl.title}</Title>
      <Text size="sm">
        {t('assessments.bank.versions')}: {tpl.versions.map((v) => `${v.number} (${v.status})`).join(', ')}
      </Text>
      {!draftMeta ? (
        <Button w="fit-content" onClick={() => newDraft.mutate()} loading={newDraft.isPending}>
          {t('assessments.bank.newVersion')}
        </Button>
      ) : null}
      <Feedback error={newDraft.error} success={published} />
      {version.data ? version.data.status === 'draft' ? <DraftEditor key={`${version.data.id}-${version.data.version}`} version={version.data} onSaved={refresh} onPublished={() => setPublished(t('assessments.bank.published'))} /> : <ReadOnlyVersion version={version.data} /> : version.isPending && shownId ? <Loading /> : null}
    </Stack>
  );
}

function ReadOnlyVersion({ version }: { version: BankVersionBody }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Text c="dimmed">{t('assessments.bank.readOnly')}</Text>
      {version.sections.map((s) => (
        <Paper key={s.id} withBorder p="md">
          <Title order={2} size="h4">
            {s.code}. {s.title}
          </Title>
          {s.questions.map((q) => (
            <Text key={q.id} size="sm">
              {q.prompt} {q.preAnswer !== null ? <Text span c="dimmed">— {JSON.stringify(q.preAnswer)}</Text> : null}
            </Text>
          ))}
        </Paper>
      ))}
    </Stack>
  );
}

function DraftEditor({ version, onSaved, onPublished }: { version: BankVersionBody; onSaved: () => void; onPublished: () => void }) {
  const { t } = useTranslation();
  const [sections, setSections] = useState(() => asInput(version));
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(version.sections.flatMap((s) => s.questions.map((q) => [q.key, q.preAnswer === null ? '' : JSON.stringify(q.preAnswer)]))));
  const [changeLog, setChangeLog] = useState(version.changeLog);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const build = () => {
    const out = sections.map((s) => ({ ...s, questions: s.questions.map((q) => ({ ...q, preAnswer: texts[q.key]?.trim() ? (JSON.parse(texts[q.key]!) as unknown) : undefined })) }));
    return out;
  };
  const save = useMutation({
    mutationFn: () => api<BankVersionBody>(`/bank/versions/${version.id}`, { method: 'PUT', body: { version: version.version, changeLog, sections: build() } }),
  });
  const publish = useMutation({
    mutationFn: async () => {
      const saved = await api<BankVersionBody>(`/bank/versions/${version.id}`, { method: 'PUT', body: { version: version.version, changeLog, sections: build() } });
      return api<BankVersionBody>(`/bank/versions/${version.id}/publish`, { method: 'POST', body: { version: saved.version } });
    },
    onSuccess: () => {
      onPublished();
      onSaved();
    },
  });
  const run = (m: typeof save | typeof publish) => {
    try {
      build();
      setJsonError(null);
    } catch {
      setJsonError(t('assessments.bank.invalidJson'));
      return;
    }
    m.mutate(undefined, { onSuccess: m === save ? onSaved : undefined });
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('assessments.bank.draft', { number: version.number })}
      </Title>
      <Textarea label={t('assessments.bank.changeLog')} value={changeLog} onChange={(e) => setChangeLog(e.currentTarget.value)} maxLength={10000} />
      {sections.map((s, si) => (
        <Paper key={s.key} withBorder p="md" component="section" aria-label={s.title}>
          <Stack gap="xs">
            <Title order={3} size="h4">
              {s.code}. {s.title}
            </Title>
            {s.questions.map((q, qi) => (
              <Group key={q.key} grow align="flex-start" data-bank-question={q.key}>
                <TextInput
                  label={`${t('assessments.bank.prompt')} (${q.key})`}
                  value={q.prompt}
                  onChange={(e) => {
                    const prompt = e.currentTarget.value;
                    setSections((all) => all.map((x, i) => (i !== si ? x : { ...x, questions: x.questions.map((y, j) => (j === qi ? { ...y, prompt } : y)) })));
                  }}
                  maxLength={1000}
                />
                <TextInput label={t('assessments.bank.preAnswer')} value={texts[q.key] ?? ''} onChange={(e) => {
                  const v = e.currentTarget.value;
                  setTexts((all) => ({ ...all, [q.key]: v }));
                }} />
              </Group>
            ))}
          </Stack>
        </Paper>
      ))}
      <Feedback error={jsonError ? new Error(jsonError) : (save.error ?? publish.error)} />
      <Group>
        <Button variant="default" onClick={() => run(save)} loading={save.isPending}>
          {t('assessments.bank.save')}
        </Button>
        <Button onClick={() => run(publish)} loading={publish.isPending}>
          {t('assessments.bank.publish')}
        </Button>
      </Group>
    </Stack>
  );
}
