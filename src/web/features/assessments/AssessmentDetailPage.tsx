/** `/assessments/$assessmentId`: the current revision — answers, own questions, risks, review, outputs. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ownQuestionCreateSchema, ownSectionCreateSchema, QUESTION_KINDS, type AssessmentBody } from '../../../contracts/assessments.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { SelectField } from '../../components/SelectField.js';
import { AnchorLink, ButtonLink } from '../../components/links.js';
import { Loading, PickInstitution } from '../../components/PageState.js';
import { currentLanguage } from '../../i18n/index.js';
import type { Language } from '../../i18n/types.js';
import { api, API_BASE } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useRequiredSession } from '../../lib/session.js';
import { useFormat } from '../../lib/format.js';
import { AnswerField } from './AnswerField.js';
import { describeVendorProvenance } from './describe-answer.js';
import { assessmentQuery, lawDocumentsQuery, summaryQuery, useAssessmentMutation } from './queries.js';
import { AttachmentsPanel } from '../attachments/AttachmentsPanel.js';
import { RiskRegister } from './RiskRegister.js';
import { assessmentTitle, BankText } from './BankText.js';
import { WorkflowPanel } from './WorkflowPanel.js';
import { useReadOnly } from '../lifecycle/ReadOnly.js';

const route = getRouteApi('/_app/assessments/$assessmentId');

export function AssessmentDetailPage() {
  const { t } = useTranslation();
  const { assessmentId } = route.useParams();
  const session = useRequiredSession();
  const query = useQuery({ ...assessmentQuery(assessmentId), enabled: Boolean(session.institution) });
  const [tab, setTab] = useState<string | null>('questions');
  const readOnly = useReadOnly();
  if (!session.institution) return <PickInstitution title={t('assessments.title')} />;
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  // While the institution is read-only nothing of the assessment can be changed: it reads as it does for a reader.
  const a: AssessmentBody = readOnly
    ? { ...query.data, abilities: { edit: false, submit: false, returnForChanges: false, decide: false, reopen: false, merge: false } }
    : query.data;
  return (
    <Stack>
      <AnchorLink to="/assessments" size="sm">
        ← {t('assessments.title')}
      </AnchorLink>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{assessmentTitle(a, t)}</Title>
          <Group gap="sm">
            <Badge>{t(`assessments.status.${a.status}`)}</Badge>
            <Text size="sm">{t('assessments.revision', { number: a.currentRevision })}</Text>
            {a.baseVersionNumber ? (
              <Text size="sm" c="dimmed">
                {t('assessments.basedOn', { number: a.baseVersionNumber })}
              </Text>
            ) : null}
            <AnchorLink to="/inventory/$itemId" params={{ itemId: a.inventoryItemId }} size="sm">
              {a.appName} · {t(`status.${a.inventoryStatus as 'approved'}`)}
            </AnchorLink>
            {a.staleEvidence > 0 ? (
              <Text size="sm" fw={600} c="red.9" data-stale-evidence-count>
                {t('assessments.evidence.staleCount', { count: a.staleEvidence })}
              </Text>
            ) : null}
          </Group>
        </Stack>
        <Anchor href={pdfHref(a.id, currentLanguage())} download>
          {t('assessments.outputs.pdf')}
        </Anchor>
      </Group>
      {a.update ? (
        <Alert color="yellow" title={t('assessments.updateAvailable', { number: a.update.number })}>
          <Stack gap="xs">
            <Text size="sm">
              <BankText englishOnly>{a.update.changeLog}</BankText>
            </Text>
            {a.abilities.merge ? (
              <ButtonLink to="/assessments/$assessmentId/merge" params={{ assessmentId: a.id }} size="xs" w="fit-content">
                {t('assessments.reviewUpdate')}
              </ButtonLink>
            ) : null}
          </Stack>
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="questions">{t('assessments.addQuestion.section')}</Tabs.Tab>
          <Tabs.Tab value="risks">{t('assessments.risks.title')}</Tabs.Tab>
          <Tabs.Tab value="review">{t('assessments.workflow.title')}</Tabs.Tab>
          <Tabs.Tab value="revisions">{t('assessments.revisions.title')}</Tabs.Tab>
          <Tabs.Tab value="outputs">{t('assessments.outputs.title')}</Tabs.Tab>
          <Tabs.Tab value="documents">{t('attachments.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="questions" pt="md">
          <Questions assessment={a} />
        </Tabs.Panel>
        <Tabs.Panel value="risks" pt="md">
          <RiskRegister assessment={a} canEdit={a.abilities.edit} />
        </Tabs.Panel>
        <Tabs.Panel value="review" pt="md">
          <WorkflowPanel assessment={a} />
        </Tabs.Panel>
        <Tabs.Panel value="revisions" pt="md">
          <Revisions assessment={a} />
        </Tabs.Panel>
        <Tabs.Panel value="outputs" pt="md">
          <Outputs assessment={a} />
        </Tabs.Panel>
        <Tabs.Panel value="documents" pt="md">
          <AttachmentsPanel owner={{ kind: 'assessments', id: a.id }} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Questions({ assessment: a }: { assessment: AssessmentBody }) {
  const { t } = useTranslation();
  const format = useFormat();
  const canEdit = a.abilities.edit;
  const toggle = useAssessmentMutation(a.id, (v: { id: string; hidden: boolean }, version) =>
    api<AssessmentBody>(`/assessments/${a.id}/questions/${v.id}`, { method: 'PATCH', body: { version, hidden: v.hidden } }),
  );
  return (
    <Stack>
      {a.revision.sections.map((s) => (
        <Paper key={s.id} withBorder p="md" component="section" aria-labelledby={`s-${s.id}`}>
          <Stack>
            <Title order={2} size="h4" id={`s-${s.id}`}>
              <BankText origin={s.origin} lang={s.lang}>
                {s.code ? `${s.code}. ` : ''}
                {s.title}
              </BankText>
            </Title>
            {s.description ? (
              <Text size="sm" c="dimmed">
                <BankText origin={s.origin} lang={s.lang}>
                  {s.description}
                </BankText>
              </Text>
            ) : null}
            {s.questions
              .filter((q) => q.isShown || q.hidden)
              .map((q) => (
                <Stack key={q.id} gap={4} data-question-key={q.key}>
                  {q.hidden ? (
                    <Text size="sm" td="line-through">
                      <BankText origin={q.origin} lang={q.lang}>
                        {q.prompt}
                      </BankText>
                    </Text>
                  ) : (
                    <AnswerField assessmentId={a.id} question={q} disabled={!canEdit} />
                  )}
                  {q.guidance && !q.hidden ? (
                    <Text size="xs" c="dimmed">
                      {t('assessments.guidance')}:{' '}
                      <BankText origin={q.origin} lang={q.lang}>
                        {q.guidance}
                      </BankText>
                    </Text>
                  ) : null}
                  <Group gap="xs">
                    <Badge size="xs" variant="outline">
                      {t(`assessments.origin.${q.origin}`)}
                    </Badge>
                    {q.locked ? (
                      <Badge size="xs" color="gray">
                        {t('assessments.locked')}
                      </Badge>
                    ) : null}
                    {q.condition ? (
                      <Badge size="xs" variant="light">
                        {t('assessments.conditional')}
                      </Badge>
                    ) : null}
                    {q.jurisdictions.map((j) => (
                      <Badge key={j} size="xs" variant="light" color="grape">
                        {j}
                      </Badge>
                    ))}
                    {q.answer ? (
                      <Text size="xs" c="dimmed">
                        {q.answer.origin === 'onboarding'
                          ? t('assessments.enteredAtOnboarding')
                          : q.answer.origin === 'vendor'
                            ? describeVendorProvenance(q.answer.provenance, t, format.date)
                            : q.answer.origin === 'operator' && !q.answer.updatedBy
                              ? t('assessments.preAnswered')
                              : t('assessments.answeredBy', { name: q.answer.updatedBy?.name ?? '' })}
                      </Text>
                    ) : null}
                    {canEdit && !q.locked && q.origin === 'operator' ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => toggle.mutate({ id: q.id, hidden: !q.hidden })}
                        aria-label={`${q.hidden ? t('assessments.show') : t('assessments.hide')}: ${q.prompt}`}
                      >
                        {q.hidden ? t('assessments.show') : t('assessments.hide')}
                      </Button>
                    ) : null}
                  </Group>
                </Stack>
              ))}
          </Stack>
        </Paper>
      ))}
      {toggle.error ? <ErrorAlert error={toggle.error} /> : null}
      {canEdit ? <AddQuestion assessment={a} /> : null}
    </Stack>
  );
}

// The fields of a question or section the institution adds itself (its version is the assessment's, added on sending).
const newQuestionSchema = ownQuestionCreateSchema.pick({ sectionId: true, kind: true, prompt: true });
const newSectionSchema = ownSectionCreateSchema.pick({ title: true });
type NewQuestion = z.output<typeof newQuestionSchema>;
type NewSection = z.output<typeof newSectionSchema>;

function AddQuestion({ assessment: a }: { assessment: AssessmentBody }) {
  const { t } = useTranslation();
  const questionForm = useContractForm(newQuestionSchema, {
    defaultValues: { sectionId: a.revision.sections.at(-1)?.id ?? '', kind: 'yes_no_unsure', prompt: '' },
  });
  const sectionForm = useContractForm(newSectionSchema, { defaultValues: { title: '' } });
  // Each is sent with the version of the assessment last loaded (a save since then is already in it).
  const add = useAssessmentMutation(a.id, (body: NewQuestion, version) =>
    api<AssessmentBody>(`/assessments/${a.id}/questions`, { method: 'POST', body: { ...body, version } }),
  );
  const addSection = useAssessmentMutation(a.id, (body: NewSection, version) =>
    api<AssessmentBody>(`/assessments/${a.id}/sections`, { method: 'POST', body: { ...body, version } }),
  );
  const questionErrors = questionForm.formState.errors;
  const sectionErrors = sectionForm.formState.errors;
  const simpleKinds = QUESTION_KINDS.filter((k) => k !== 'single_choice' && k !== 'multiple_choice' && k !== 'table_rows');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="add-question-heading">
      <Stack>
        <form
          noValidate
          onSubmit={questionForm.handleSubmit((body) =>
            add.mutate(body, {
              onSuccess: () => questionForm.reset({ ...questionForm.getValues(), prompt: '' }),
              onError: (error) => setServerErrors(questionForm, error),
            }),
          )}
        >
          <Stack gap="xs">
            <Title order={2} size="h4" id="add-question-heading">
              {t('assessments.addQuestion.title')}
            </Title>
            <SelectField
              control={questionForm.control}
              name="sectionId"
              label={t('assessments.addQuestion.section')}
              data={a.revision.sections.map((s) => ({ value: s.id, label: `${s.code ? `${s.code}. ` : ''}${s.title}` }))}
              allowDeselect={false}
              error={errorOf(questionErrors, 'sectionId')}
            />
            <SelectField
              control={questionForm.control}
              name="kind"
              label={t('assessments.addQuestion.kind')}
              data={simpleKinds.map((k) => ({ value: k, label: t(`assessments.kind.${k}`) }))}
              allowDeselect={false}
              error={errorOf(questionErrors, 'kind')}
            />
            <TextInput
              label={t('assessments.addQuestion.prompt')}
              {...questionForm.register('prompt')}
              required
              maxLength={1000}
              error={errorOf(questionErrors, 'prompt')}
            />
            <Feedback error={add.error} />
            <Button type="submit" w="fit-content" loading={add.isPending}>
              {t('assessments.addQuestion.submit')}
            </Button>
          </Stack>
        </form>
        <form
          noValidate
          onSubmit={sectionForm.handleSubmit((body) =>
            addSection.mutate(body, {
              onSuccess: () => sectionForm.reset({ title: '' }),
              onError: (error) => setServerErrors(sectionForm, error),
            }),
          )}
        >
          <Stack gap="xs">
            <TextInput
              label={t('assessments.addSection.name')}
              {...sectionForm.register('title')}
              required
              maxLength={300}
              error={errorOf(sectionErrors, 'title')}
            />
            <Feedback error={addSection.error} />
            <Button type="submit" variant="default" w="fit-content" loading={addSection.isPending}>
              {t('assessments.addSection.submit')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}

interface Compare {
  questions: { key: string; sectionTitle: string; prompt: string; from: unknown; to: unknown; change: string }[];
}

function Revisions({ assessment: a }: { assessment: AssessmentBody }) {
  const { t } = useTranslation();
  const numbers = a.revisions.map((r) => String(r.number));
  const [from, setFrom] = useState<string | null>(numbers.at(-1) ?? null);
  const [to, setTo] = useState<string | null>(numbers[0] ?? null);
  const compare = useQuery({
    queryKey: ['assessments', 'compare', a.id, from, to, a.version],
    queryFn: () => api<Compare>(`/assessments/${a.id}/compare?from=${from}&to=${to}`),
    enabled: Boolean(from && to),
  });
  const changed = compare.data?.questions.filter((q) => q.change !== 'same') ?? [];
  const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <Stack>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('assessments.revisionShort')}</Table.Th>
            <Table.Th>{t('assessments.statusLabel')}</Table.Th>
            <Table.Th>{t('assessments.basedOn', { number: '' })}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.revisions.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.number}</Table.Td>
              <Table.Td>{t(`assessments.status.${r.status}`)}</Table.Td>
              <Table.Td>{r.templateVersionNumber ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Select label={t('assessments.revisions.from')} data={numbers} value={from} onChange={setFrom} allowDeselect={false} />
        <Select label={t('assessments.revisions.to')} data={numbers} value={to} onChange={setTo} allowDeselect={false} />
      </Group>
      {compare.data ? (
        changed.length === 0 ? (
          <Text>{t('assessments.revisions.same')}</Text>
        ) : (
          <Table aria-label={t('assessments.revisions.compare')}>
            <Table.Caption>{t('assessments.revisions.changed', { count: changed.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('assessments.addQuestion.prompt')}</Table.Th>
                <Table.Th>{t('assessments.revisions.before')}</Table.Th>
                <Table.Th>{t('assessments.revisions.after')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changed.map((q) => (
                <Table.Tr key={q.key}>
                  <Table.Td>{q.prompt}</Table.Td>
                  <Table.Td>{show(q.from)}</Table.Td>
                  <Table.Td>{show(q.to)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )
      ) : null}
    </Stack>
  );
}

/** The PDF of the current revision, written in `lang`. */
const pdfHref = (id: string, lang: Language) => `${API_BASE}/assessments/${id}/pdf?lang=${lang}`;
/** A document the law asks for, as a PDF written in `lang`. */
const lawPdfHref = (id: string, kind: string, lang: Language) => `${API_BASE}/assessments/${id}/documents/${kind}/pdf?lang=${lang}`;

function Outputs({ assessment: a }: { assessment: AssessmentBody }) {
  const { t } = useTranslation();
  // The documents may be wanted in the other language than the one on screen (families, staff).
  const [lang, setLang] = useState<Language>(currentLanguage);
  const teacher = useQuery(summaryQuery(a.id, 'teacher', a.version, lang));
  const parent = useQuery(summaryQuery(a.id, 'parent', a.version, lang));
  // Only the documents the institution's province or state asks for (none elsewhere).
  const law = useQuery(lawDocumentsQuery(a.id, lang));
  return (
    <Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="outputs-language">
          {t('assessments.outputs.language')}
        </Text>
        <SegmentedControl
          w="fit-content"
          aria-labelledby="outputs-language"
          value={lang}
          onChange={(v) => setLang(v as Language)}
          data={[
            {
              value: 'en',
              label: (
                <span lang="en" data-language-name="">
                  English
                </span>
              ),
            },
            {
              value: 'fr',
              label: (
                <span lang="fr" data-language-name="">
                  Français
                </span>
              ),
            },
          ]}
        />
      </Stack>
      <Anchor href={pdfHref(a.id, lang)} download>
        {t('assessments.outputs.pdf')}
      </Anchor>
      {law.data?.length ? (
        <Stack gap={4} component="section" aria-labelledby="law-documents">
          <Title order={2} size="h4" id="law-documents">
            {t('assessments.outputs.law')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('assessments.outputs.lawNote')}
          </Text>
          {law.data.map((d) => (
            <Anchor key={d.kind} href={lawPdfHref(a.id, d.kind, lang)} download lang={lang}>
              {t('assessments.outputs.lawPdf', { title: d.title })}
            </Anchor>
          ))}
        </Stack>
      ) : law.isError ? (
        <ErrorAlert error={law.error} />
      ) : null}
      {[teacher, parent].map((s, i) => (
        <Paper
          key={i}
          withBorder
          p="md"
          component="section"
          lang={lang}
          aria-label={i === 0 ? t('assessments.outputs.teacher') : t('assessments.outputs.parent')}
        >
          <Title order={2} size="h4">
            {i === 0 ? t('assessments.outputs.teacher') : t('assessments.outputs.parent')}
          </Title>
          {s.data ? (
            <Stack gap="xs" mt="xs">
              <Text fw={600}>{s.data.headline}</Text>
              {s.data.points.map((p) => (
                <Text key={p.heading} size="sm">
                  <strong>{p.heading}:</strong> {p.text}
                </Text>
              ))}
            </Stack>
          ) : s.isError ? (
            <ErrorAlert error={s.error} />
          ) : (
            <Loading />
          )}
        </Paper>
      ))}
    </Stack>
  );
}
