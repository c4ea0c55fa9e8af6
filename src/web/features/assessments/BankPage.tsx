/** `/bank` and `/bank/$templateId`: the operator's master bank — versions, draft editing, publishing. */
import { Badge, Button, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankVersionBody } from '../../../contracts/assessments.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { DraftEditor } from './BankEditor.js';
import { bankQuery, bankTemplateQuery, bankVersionQuery } from './queries.js';
import { currentLanguage } from '../../i18n/index.js';
import { describeAnswer } from './AnswerField.js';
import { describeVendorProvenance } from './describe-answer.js';
import { useFormat } from '../../lib/format.js';
import { bankQuestionIn, BankText, inLanguage } from './BankText.js';

export function BankListPage() {
  const { t, i18n } = useTranslation();
  const reader = i18n.language === 'fr' ? 'fr' : 'en';
  const list = useQuery(bankQuery());
  return (
    <Stack>
      <Title order={1}>{t('assessments.bank.title')}</Title>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : (
        <Table striped>
          <Table.Tbody>
            {list.data.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>
                  <AnchorLink to="/bank/$templateId" params={{ templateId: b.id }}>
                    <BankTitle english={b.title} french={b.fr?.title} reader={reader} />
                  </AnchorLink>
                </Table.Td>
                <Table.Td>
                  {b.isGeneric ? (
                    <Badge>{t('assessments.bank.generic')}</Badge>
                  ) : b.catalogAppName ? (
                    t('assessments.bank.forApp', { name: b.catalogAppName })
                  ) : null}
                </Table.Td>
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

/** A template's title in the reader's language. */
function BankTitle({ english, french, reader }: { english: string; french: string | undefined; reader: 'en' | 'fr' }) {
  const shown = inLanguage(english, french, reader);
  return <BankText lang={shown.lang}>{shown.text}</BankText>;
}

export function BankTemplatePage() {
  const { t, i18n } = useTranslation();
  const reader = i18n.language === 'fr' ? 'fr' : 'en';
  const { templateId } = route.useParams();
  const queryClient = useQueryClient();
  const template = useQuery(bankTemplateQuery(templateId));
  const draftMeta = template.data?.versions.find((v) => v.status === 'draft');
  const shownId = draftMeta?.id ?? template.data?.latestPublished?.id;
  const version = useQuery({ ...bankVersionQuery(shownId ?? ''), enabled: Boolean(shownId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['bank'] });
  // Kept here: publishing replaces the draft editor by the read-only version.
  const [published, setPublished] = useState<string | null>(null);
  const newDraft = useMutation({
    mutationFn: () => api<BankVersionBody>(`/bank/templates/${templateId}/versions`, { method: 'POST' }),
    onSuccess: refresh,
  });
  if (template.isPending) return <Loading />;
  if (template.isError) return <ErrorAlert error={template.error} />;
  const tpl = template.data;
  return (
    <Stack>
      <AnchorLink to="/bank" size="sm">
        ← {t('assessments.bank.title')}
      </AnchorLink>
      <Title order={1}>
        <BankTitle english={tpl.title} french={tpl.fr?.title} reader={reader} />
      </Title>
      <Text size="sm">
        {t('assessments.bank.versions')}:{' '}
        {tpl.versions.map((v) => `${v.number} (${t(`assessments.bank.versionStatus.${v.status}`)})`).join(', ')}
      </Text>
      {!draftMeta ? (
        <Button w="fit-content" onClick={() => newDraft.mutate()} loading={newDraft.isPending}>
          {t('assessments.bank.newVersion')}
        </Button>
      ) : null}
      <Feedback error={newDraft.error} success={published} />
      {version.data ? (
        version.data.status === 'draft' ? (
          <DraftEditor
            key={`${version.data.id}-${version.data.version}`}
            version={version.data}
            template={tpl}
            onSaved={refresh}
            onPublished={() => setPublished(t('assessments.bank.published'))}
          />
        ) : (
          <ReadOnlyVersion version={version.data} />
        )
      ) : version.isPending && shownId ? (
        <Loading />
      ) : null}
    </Stack>
  );
}

/** What a version changed: the operator's notes and, question by question, the difference from the previous version. */
export function ChangeLog({ version }: { version: BankVersionBody }) {
  const { t } = useTranslation();
  const reader = currentLanguage();
  // A changed question's words in the reader's language when this version still has it (a removed one keeps its English).
  const questions = new Map(
    version.sections.flatMap((s) =>
      s.questions.map((q) => [q.key, { q: bankQuestionIn(q, reader), section: inLanguage(s.title, s.fr?.title, reader) }] as const),
    ),
  );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`changes-${version.id}`}>
      <Title order={2} size="h4" id={`changes-${version.id}`}>
        {t('assessments.editor.changeLogOf', { number: version.number })}
      </Title>
      {version.changeLog.trim() ? (
        <Text style={{ whiteSpace: 'pre-wrap' }}>
          <BankText englishOnly>{version.changeLog}</BankText>
        </Text>
      ) : null}
      {version.changes.length ? (
        <List size="sm" mt="xs">
          {version.changes.map((c) => {
            const now = questions.get(c.key);
            return (
              <List.Item key={c.key}>
                {t(`assessments.editor.change.${c.change}`)}: <BankText lang={now?.q.lang ?? 'en'}>{now?.q.prompt ?? c.prompt}</BankText>{' '}
                <Text span c="dimmed">
                  (<BankText lang={now?.section.lang ?? 'en'}>{now?.section.text ?? c.sectionTitle}</BankText> · {c.key})
                </Text>
              </List.Item>
            );
          })}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          {version.number === 1 ? t('assessments.editor.firstVersion') : t('assessments.editor.noQuestionChanges')}
        </Text>
      )}
    </Paper>
  );
}

function ReadOnlyVersion({ version }: { version: BankVersionBody }) {
  const { t } = useTranslation();
  const format = useFormat();
  const reader = currentLanguage();
  return (
    <Stack>
      <Text c="dimmed">{t('assessments.bank.readOnly')}</Text>
      <ChangeLog version={version} />
      {version.sections.map((s) => {
        const title = inLanguage(s.title, s.fr?.title, reader);
        return (
          <Paper key={s.id} withBorder p="md">
            <Title order={2} size="h4">
              <BankText lang={title.lang}>{`${s.code ? `${s.code}. ` : ''}${title.text}`}</BankText>
            </Title>
            {s.questions.map((raw) => {
              const q = bankQuestionIn(raw, reader);
              return (
                <Text key={q.id} size="sm">
                  <BankText lang={q.lang}>{q.prompt}</BankText>{' '}
                  {q.preAnswer !== null ? (
                    <Text span c="dimmed">
                      — <BankText lang={q.lang}>{describeAnswer(q, q.preAnswer, t)}</BankText>
                    </Text>
                  ) : null}
                  {q.preAnswer !== null && q.preAnswerProvenance ? (
                    <Text span size="xs" c="dimmed" data-provenance={q.key}>
                      {' '}
                      ({describeVendorProvenance(q.preAnswerProvenance, t, format.date)})
                    </Text>
                  ) : null}
                </Text>
              );
            })}
          </Paper>
        );
      })}
    </Stack>
  );
}
