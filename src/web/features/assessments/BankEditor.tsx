/**
 * The operator's editor of a draft bank version: sections and questions added, removed and
 * reordered (by buttons, so the keyboard does it all), each question's kind, options, flags,
 * condition, jurisdictions and pre-answer. Problems are shown on the field they concern, whether
 * found here (in the reader's language) or by the server.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  JURISDICTIONS,
  QUESTION_KINDS,
  type BankQuestionInput,
  type BankSectionInput,
  type BankTemplateBody,
  type BankVersionBody,
  type QuestionKind,
} from '../../../contracts/assessments.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { api, ApiError } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';

/** A question's French beside its English (the pre-answer's French edited as JSON, like the English). */
interface QuestionFrDraft {
  prompt: string;
  guidance: string;
  choices: Record<string, string>;
  columns: Record<string, string>;
}
/** The source of a pre-answer as typed: a link, a quotation or document name, and the day seen (all empty: none). */
interface EvidenceDraft {
  url: string;
  quote: string;
  seenOn: string;
}
type QuestionDraft = Omit<BankQuestionInput, 'preAnswer' | 'preAnswerEvidence' | 'fr'> & {
  uid: string;
  preAnswerText: string;
  fr: QuestionFrDraft;
  preAnswerFrText: string;
  evidence: EvidenceDraft;
};
const NO_EVIDENCE_DRAFT: EvidenceDraft = { url: '', quote: '', seenOn: '' };
const evidenceNamed = (e: EvidenceDraft) => e.url.trim() !== '' || e.quote.trim() !== '';
type SectionDraft = Omit<BankSectionInput, 'questions' | 'fr'> & {
  uid: string;
  fr: { title: string; description: string };
  questions: QuestionDraft[];
};
const WORD_KINDS: readonly QuestionKind[] = ['short_text', 'long_text', 'table_rows', 'evidence_link', 'risk'];
type Errors = Record<string, string>;

const KEY = /^[a-z0-9][a-z0-9_.-]*$/;
const CHOICE_KINDS: readonly QuestionKind[] = ['single_choice', 'multiple_choice'];
let uids = 0;
const uid = () => `d${++uids}`;

function toDrafts(v: BankVersionBody): SectionDraft[] {
  return v.sections.map((s) => ({
    uid: uid(),
    key: s.key,
    code: s.code,
    title: s.title,
    description: s.description,
    fr: { title: s.fr?.title ?? '', description: s.fr?.description ?? '' },
    questions: s.questions.map((q) => ({
      uid: uid(),
      key: q.key,
      kind: q.kind,
      prompt: q.prompt,
      guidance: q.guidance,
      options: q.options,
      required: q.required,
      locked: q.locked,
      condition: q.condition,
      jurisdictions: q.jurisdictions as QuestionDraft['jurisdictions'],
      preAnswerText: q.preAnswer === null ? '' : JSON.stringify(q.preAnswer),
      fr: { prompt: q.fr?.prompt ?? '', guidance: q.fr?.guidance ?? '', choices: q.fr?.choices ?? {}, columns: q.fr?.columns ?? {} },
      preAnswerFrText: q.fr?.preAnswer === undefined || q.fr.preAnswer === null ? '' : JSON.stringify(q.fr.preAnswer),
      evidence: q.preAnswerEvidence
        ? { url: q.preAnswerEvidence.url ?? '', quote: q.preAnswerEvidence.quote, seenOn: q.preAnswerEvidence.seenOn ?? '' }
        : NO_EVIDENCE_DRAFT,
    })),
  }));
}

/** Only the labels of choices and columns the question still has, and none left empty. */
function keptLabels(labels: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => labels[k]?.trim()).map((k) => [k, labels[k]!]));
}

/** The drafts as the API takes them; throws on a pre-answer that is not JSON (checked before). */
function toInput(sections: SectionDraft[]): BankSectionInput[] {
  return sections.map(({ uid: _u, questions, fr: sectionFr, ...s }) => ({
    ...s,
    // The French goes with its title (publishing names what is still missing).
    ...(sectionFr.title.trim() ? { fr: sectionFr } : {}),
    questions: questions.map(({ uid: _q, preAnswerText, fr, preAnswerFrText, evidence, ...q }) => ({
      ...q,
      preAnswer: preAnswerText.trim() ? (JSON.parse(preAnswerText) as unknown) : undefined,
      preAnswerEvidence:
        evidenceNamed(evidence) || evidence.seenOn
          ? { url: evidence.url.trim() || null, quote: evidence.quote.trim(), seenOn: evidence.seenOn || null }
          : null,
      ...(fr.prompt.trim()
        ? {
            fr: {
              prompt: fr.prompt,
              guidance: fr.guidance,
              choices: keptLabels(
                fr.choices,
                (q.options.choices ?? []).map((c) => c.value),
              ),
              columns: keptLabels(
                fr.columns,
                (q.options.columns ?? []).map((c) => c.key),
              ),
              ...(preAnswerFrText.trim() ? { preAnswer: JSON.parse(preAnswerFrText) as unknown } : {}),
            },
          }
        : {}),
    })),
  }));
}

/** The values an earlier question's answer can take, when they are a fixed list. */
function answerValues(q: QuestionDraft | undefined): { value: string; label: string }[] | null {
  if (!q) return null;
  if (q.kind === 'yes_no_unsure') return ['yes', 'no', 'unsure'].map((v) => ({ value: v, label: v }));
  if (CHOICE_KINDS.includes(q.kind)) return (q.options.choices ?? []).map((c) => ({ value: c.value, label: c.label }));
  return null;
}

export function DraftEditor({
  version,
  template,
  onSaved,
  onPublished,
}: {
  version: BankVersionBody;
  /** The template, whose title and description are written in French here too. */
  template?: BankTemplateBody;
  onSaved: () => void;
  onPublished: () => void;
}) {
  const { t } = useTranslation();
  const [sections, setSections] = useState(() => toDrafts(version));
  const [templateFr, setTemplateFr] = useState(() => ({ title: template?.fr?.title ?? '', description: template?.fr?.description ?? '' }));
  const [changeLog, setChangeLog] = useState(version.changeLog);
  const [errors, setErrors] = useState<Errors>({});
  // After a move, an addition or a removal, where the keyboard focus goes next.
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  useEffect(() => {
    if (!focusTarget) return;
    const el = document.querySelector<HTMLElement>(`[data-focus~="${CSS.escape(focusTarget)}"]:not([disabled])`);
    el?.focus();
    setFocusTarget(null);
  }, [focusTarget, sections]);

  /** Problems found before sending, keyed like the server's field paths. */
  const check = (): Errors => {
    const found: Errors = {};
    const sectionKeys = new Set<string>();
    const earlier = new Map<string, QuestionDraft>();
    sections.forEach((s, si) => {
      const at = `sections.${si}`;
      if (!KEY.test(s.key)) found[`${at}.key`] = t('assessments.editor.errors.key');
      else if (sectionKeys.has(s.key)) found[`${at}.key`] = t('assessments.editor.errors.duplicateKey');
      sectionKeys.add(s.key);
      if (!s.title.trim()) found[`${at}.title`] = t('assessments.editor.errors.required');
      s.questions.forEach((q, qi) => {
        const qa = `${at}.questions.${qi}`;
        if (!KEY.test(q.key)) found[`${qa}.key`] = t('assessments.editor.errors.key');
        else if (earlier.has(q.key)) found[`${qa}.key`] = t('assessments.editor.errors.duplicateKey');
        if (!q.prompt.trim()) found[`${qa}.prompt`] = t('assessments.editor.errors.required');
        if (CHOICE_KINDS.includes(q.kind) && !(q.options.choices ?? []).length)
          found[`${qa}.options`] = t('assessments.editor.errors.choices');
        if (q.kind === 'table_rows' && !(q.options.columns ?? []).length) found[`${qa}.options`] = t('assessments.editor.errors.columns');
        (q.options.choices ?? []).forEach((c, ci) => {
          if (!KEY.test(c.value)) found[`${qa}.options.choices.${ci}.value`] = t('assessments.editor.errors.key');
          if (!c.label.trim()) found[`${qa}.options.choices.${ci}.label`] = t('assessments.editor.errors.required');
        });
        (q.options.columns ?? []).forEach((c, ci) => {
          if (!KEY.test(c.key)) found[`${qa}.options.columns.${ci}.key`] = t('assessments.editor.errors.key');
          if (!c.label.trim()) found[`${qa}.options.columns.${ci}.label`] = t('assessments.editor.errors.required');
        });
        if (q.preAnswerText.trim()) {
          try {
            JSON.parse(q.preAnswerText);
          } catch {
            found[`${qa}.preAnswer`] = t('assessments.bank.invalidJson');
          }
        }
        // A source is dated, and a date belongs to a source (as the server checks).
        if (evidenceNamed(q.evidence) && !q.evidence.seenOn)
          found[`${qa}.preAnswerEvidence.seenOn`] = t('assessments.editor.errors.evidenceSeenOn');
        if (!evidenceNamed(q.evidence) && q.evidence.seenOn)
          found[`${qa}.preAnswerEvidence.url`] = t('assessments.editor.errors.evidenceSource');
        if (q.preAnswerFrText.trim()) {
          try {
            JSON.parse(q.preAnswerFrText);
          } catch {
            found[`${qa}.fr.preAnswer`] = t('assessments.bank.invalidJson');
          }
        }
        if (q.condition) {
          if (!earlier.has(q.condition.questionKey))
            found[`${qa}.condition.questionKey`] = t('assessments.editor.errors.conditionQuestion');
          if (!q.condition.anyOf.length) found[`${qa}.condition.anyOf`] = t('assessments.editor.errors.conditionValues');
        }
        earlier.set(q.key, q);
      });
    });
    return found;
  };

  const send = async (publish: boolean) => {
    if (
      template &&
      templateFr.title.trim() &&
      (templateFr.title !== (template.fr?.title ?? '') || templateFr.description !== (template.fr?.description ?? ''))
    ) {
      await api<BankTemplateBody>(`/bank/templates/${template.id}`, { method: 'PATCH', body: { fr: templateFr } });
    }
    const saved = await api<BankVersionBody>(`/bank/versions/${version.id}`, {
      method: 'PUT',
      body: { version: version.version, changeLog, sections: toInput(sections) },
    });
    return publish
      ? api<BankVersionBody>(`/bank/versions/${version.id}/publish`, { method: 'POST', body: { version: saved.version } })
      : saved;
  };
  const save = useMutation({ mutationFn: (publish: boolean) => send(publish) });
  const run = (publish: boolean) => {
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) {
      setFocusTarget(`field:${Object.keys(found)[0]!}`);
      return;
    }
    save.mutate(publish, {
      onSuccess: () => (publish ? (onPublished(), onSaved()) : onSaved()),
      onError: (err) => {
        // The server's field messages, in the operator's language where their code is known.
        const fields = fieldsOf(err);
        if (Object.keys(fields).length) {
          setErrors({ ...fields });
          setFocusTarget(`field:${Object.keys(fields)[0]!}`);
        }
      },
    });
  };

  /** The problem of a field (or of a part inside it). */
  const errorOf = (path: string): string | undefined => errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];
  const setSection = (si: number, patch: Partial<SectionDraft>) =>
    setSections((all) => all.map((s, i) => (i === si ? { ...s, ...patch } : s)));
  const setQuestion = (si: number, qi: number, patch: Partial<QuestionDraft>) =>
    setSections((all) =>
      all.map((s, i) => (i !== si ? s : { ...s, questions: s.questions.map((q, j) => (j === qi ? { ...q, ...patch } : q)) })),
    );

  const moveSection = (si: number, by: -1 | 1) => {
    setSections((all) => {
      const next = [...all];
      const [s] = next.splice(si, 1);
      next.splice(si + by, 0, s!);
      return next;
    });
    setFocusTarget(`${sections[si]!.uid}:${by < 0 ? 'up' : 'down'}`);
    setErrors({});
  };
  /** Moves a question within its section, or across into the end/start of the neighbouring one. */
  const moveQuestion = (si: number, qi: number, by: -1 | 1) => {
    const q = sections[si]!.questions[qi]!;
    setSections((all) => {
      const next = all.map((s) => ({ ...s, questions: [...s.questions] }));
      next[si]!.questions.splice(qi, 1);
      const target = qi + by;
      if (target < 0) next[si - 1]!.questions.push(q);
      else if (target > all[si]!.questions.length - 1) next[si + 1]!.questions.unshift(q);
      else next[si]!.questions.splice(target, 0, q);
      return next;
    });
    setFocusTarget(`${q.uid}:${by < 0 ? 'up' : 'down'}`);
    setErrors({});
  };
  const addSection = () => {
    const s: SectionDraft = {
      uid: uid(),
      key: `section-${sections.length + 1}`,
      code: '',
      title: '',
      description: '',
      fr: { title: '', description: '' },
      questions: [],
    };
    setSections((all) => [...all, s]);
    setFocusTarget(`${s.uid}:title`);
  };
  const removeSection = (si: number) => {
    setSections((all) => all.filter((_, i) => i !== si));
    setFocusTarget('add-section');
    setErrors({});
  };
  const addQuestion = (si: number) => {
    const s = sections[si]!;
    const taken = new Set(sections.flatMap((x) => x.questions.map((q) => q.key)));
    let n = s.questions.length + 1;
    while (taken.has(`${s.key}.q${n}`)) n++;
    const q: QuestionDraft = {
      uid: uid(),
      key: `${s.key}.q${n}`,
      kind: 'short_text',
      prompt: '',
      guidance: '',
      options: {},
      required: false,
      locked: false,
      condition: null,
      jurisdictions: [],
      preAnswerText: '',
      fr: { prompt: '', guidance: '', choices: {}, columns: {} },
      preAnswerFrText: '',
      evidence: NO_EVIDENCE_DRAFT,
    };
    setSections((all) => all.map((x, i) => (i === si ? { ...x, questions: [...x.questions, q] } : x)));
    setFocusTarget(`${q.uid}:prompt`);
  };
  const removeQuestion = (si: number, qi: number) => {
    setSections((all) => all.map((x, i) => (i === si ? { ...x, questions: x.questions.filter((_, j) => j !== qi) } : x)));
    setFocusTarget(`${sections[si]!.uid}:add-question`);
    setErrors({});
  };

  const flat = sections.flatMap((s) => s.questions);
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('assessments.bank.draft', { number: version.number })}
      </Title>
      <Textarea
        label={t('assessments.bank.changeLog')}
        description={t('assessments.editor.changeLogHint')}
        value={changeLog}
        onChange={(e) => setChangeLog(e.currentTarget.value)}
        maxLength={10000}
        autosize
        minRows={2}
      />
      {template ? (
        <Group grow align="flex-start">
          <TextInput
            label={t('assessments.editor.templateTitleFr')}
            lang="fr"
            value={templateFr.title}
            onChange={(e) => setTemplateFr({ ...templateFr, title: e.currentTarget.value })}
            error={errorOf('template.fr.title')}
            maxLength={300}
            data-focus="field:template.fr.title"
          />
          <Textarea
            label={t('assessments.editor.templateDescriptionFr')}
            lang="fr"
            value={templateFr.description}
            onChange={(e) => setTemplateFr({ ...templateFr, description: e.currentTarget.value })}
            error={errorOf('template.fr.description')}
            autosize
            minRows={1}
            maxLength={5000}
            data-focus="field:template.fr.description"
          />
        </Group>
      ) : null}
      {sections.map((s, si) => {
        const at = `sections.${si}`;
        const heading = `${s.code ? `${s.code}. ` : ''}${s.title || t('assessments.editor.untitledSection')}`;
        return (
          <Paper key={s.uid} withBorder p="md" component="section" aria-labelledby={`${s.uid}-heading`} data-bank-section={s.key}>
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap">
                <Title order={3} size="h4" id={`${s.uid}-heading`}>
                  {heading}
                </Title>
                <Group gap={4} wrap="nowrap">
                  <ActionIcon
                    variant="default"
                    aria-label={t('assessments.editor.moveSectionUp', { title: heading })}
                    disabled={si === 0}
                    onClick={() => moveSection(si, -1)}
                    data-focus={`${s.uid}:up`}
                  >
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="default"
                    aria-label={t('assessments.editor.moveSectionDown', { title: heading })}
                    disabled={si === sections.length - 1}
                    onClick={() => moveSection(si, 1)}
                    data-focus={`${s.uid}:down`}
                  >
                    ↓
                  </ActionIcon>
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    onClick={() => removeSection(si)}
                    aria-label={t('assessments.editor.removeSectionNamed', { title: heading })}
                  >
                    {t('assessments.editor.removeSection')}
                  </Button>
                </Group>
              </Group>
              <Group grow align="flex-start">
                <TextInput
                  label={t('assessments.editor.sectionTitle')}
                  value={s.title}
                  onChange={(e) => setSection(si, { title: e.currentTarget.value })}
                  error={errorOf(`${at}.title`)}
                  required
                  maxLength={300}
                  data-focus={`${s.uid}:title field:${at}.title`}
                />
                <TextInput
                  label={t('assessments.editor.code')}
                  value={s.code}
                  onChange={(e) => setSection(si, { code: e.currentTarget.value })}
                  error={errorOf(`${at}.code`)}
                  maxLength={8}
                  data-focus={`field:${at}.code`}
                />
                <TextInput
                  label={t('assessments.editor.key')}
                  description={t('assessments.editor.keyHint')}
                  value={s.key}
                  onChange={(e) => setSection(si, { key: e.currentTarget.value })}
                  error={errorOf(`${at}.key`)}
                  required
                  maxLength={80}
                  data-focus={`field:${at}.key`}
                />
              </Group>
              <TextInput
                label={t('assessments.editor.sectionTitleFr')}
                lang="fr"
                value={s.fr.title}
                onChange={(e) => setSection(si, { fr: { ...s.fr, title: e.currentTarget.value } })}
                error={errorOf(`${at}.fr.title`)}
                maxLength={300}
                data-focus={`field:${at}.fr.title`}
              />
              <Group grow align="flex-start">
                <Textarea
                  label={t('assessments.editor.description')}
                  value={s.description}
                  onChange={(e) => setSection(si, { description: e.currentTarget.value })}
                  autosize
                  minRows={1}
                  maxLength={5000}
                />
                <Textarea
                  label={t('assessments.editor.descriptionFr')}
                  lang="fr"
                  value={s.fr.description}
                  onChange={(e) => setSection(si, { fr: { ...s.fr, description: e.currentTarget.value } })}
                  error={errorOf(`${at}.fr.description`)}
                  autosize
                  minRows={1}
                  maxLength={5000}
                  data-focus={`field:${at}.fr.description`}
                />
              </Group>
              {s.questions.map((q, qi) => (
                <QuestionEditor
                  key={q.uid}
                  q={q}
                  at={`${at}.questions.${qi}`}
                  earlier={flat.slice(0, flat.indexOf(q))}
                  isFirst={si === 0 && qi === 0}
                  isLast={si === sections.length - 1 && qi === s.questions.length - 1}
                  errorOf={errorOf}
                  onChange={(patch) => setQuestion(si, qi, patch)}
                  onMove={(by) => moveQuestion(si, qi, by)}
                  onRemove={() => removeQuestion(si, qi)}
                />
              ))}
              <Button
                variant="light"
                w="fit-content"
                onClick={() => addQuestion(si)}
                data-focus={`${s.uid}:add-question`}
                aria-label={t('assessments.editor.addQuestionTo', { title: heading })}
              >
                {t('assessments.editor.addQuestion')}
              </Button>
            </Stack>
          </Paper>
        );
      })}
      <Button variant="light" w="fit-content" onClick={addSection} data-focus="add-section">
        {t('assessments.editor.addSection')}
      </Button>
      <div role="status" aria-live="polite">
        {hasErrors ? (
          <Alert color="red" variant="light">
            {t('assessments.editor.fixFields', { count: Object.keys(errors).length })}
          </Alert>
        ) : null}
      </div>
      {save.error && !(save.error instanceof ApiError && Object.keys(save.error.fields).length) ? <ErrorAlert error={save.error} /> : null}
      <Group>
        <Button variant="default" onClick={() => run(false)} loading={save.isPending && save.variables === false}>
          {t('assessments.bank.save')}
        </Button>
        <Button onClick={() => run(true)} loading={save.isPending && save.variables === true}>
          {t('assessments.bank.publish')}
        </Button>
      </Group>
    </Stack>
  );
}

interface QuestionEditorProps {
  q: QuestionDraft;
  at: string;
  earlier: QuestionDraft[];
  isFirst: boolean;
  isLast: boolean;
  errorOf: (path: string) => string | undefined;
  onChange: (patch: Partial<QuestionDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

function QuestionEditor({ q, at, earlier, isFirst, isLast, errorOf, onChange, onMove, onRemove }: QuestionEditorProps) {
  const { t } = useTranslation();
  const name = q.prompt.trim() || q.key;
  const conditionOn = earlier.find((e) => e.key === q.condition?.questionKey);
  const values = answerValues(conditionOn);
  const choices = q.options.choices ?? [];
  const columns = q.options.columns ?? [];
  // The less used settings open on demand: a large template stays quick to render and to tab through.
  const detailsFailing = [`${at}.guidance`, `${at}.fr.guidance`, `${at}.jurisdictions`, `${at}.condition`, `${at}.preAnswerEvidence`].some(
    (p) => errorOf(p),
  );
  const [open, setOpen] = useState(false);
  const showDetails = open || detailsFailing;
  const setKind = (kind: QuestionKind) => {
    // Options that the new kind does not use are dropped, so the draft stays valid.
    const options = CHOICE_KINDS.includes(kind) ? { choices } : kind === 'table_rows' ? { columns } : {};
    onChange({ kind, options });
  };
  return (
    <Fieldset
      legend={<span id={`${q.uid}-legend`}>{t('assessments.editor.questionLegend', { key: q.key })}</span>}
      data-bank-question={q.key}
    >
      <Stack gap="xs">
        <Group justify="flex-end" gap={4}>
          <ActionIcon
            variant="default"
            aria-label={t('assessments.editor.moveQuestionUp', { name })}
            disabled={isFirst}
            onClick={() => onMove(-1)}
            data-focus={`${q.uid}:up`}
          >
            ↑
          </ActionIcon>
          <ActionIcon
            variant="default"
            aria-label={t('assessments.editor.moveQuestionDown', { name })}
            disabled={isLast}
            onClick={() => onMove(1)}
            data-focus={`${q.uid}:down`}
          >
            ↓
          </ActionIcon>
          <Button
            variant="subtle"
            color="red"
            size="xs"
            onClick={onRemove}
            aria-label={t('assessments.editor.removeQuestionNamed', { name })}
          >
            {t('assessments.editor.removeQuestion')}
          </Button>
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={`${t('assessments.bank.prompt')} (${q.key})`}
            value={q.prompt}
            onChange={(e) => onChange({ prompt: e.currentTarget.value })}
            error={errorOf(`${at}.prompt`)}
            required
            maxLength={1000}
            data-focus={`${q.uid}:prompt field:${at}.prompt`}
          />
          <TextInput
            label={t('assessments.editor.promptFr', { key: q.key })}
            lang="fr"
            value={q.fr.prompt}
            onChange={(e) => onChange({ fr: { ...q.fr, prompt: e.currentTarget.value } })}
            error={errorOf(`${at}.fr.prompt`)}
            maxLength={1000}
            data-focus={`field:${at}.fr.prompt`}
          />
        </Group>
        <Group grow align="flex-start">
          <NativeSelect
            label={t('assessments.addQuestion.kind')}
            value={q.kind}
            onChange={(e) => setKind(e.currentTarget.value as QuestionKind)}
            data={QUESTION_KINDS.map((k) => ({ value: k, label: t(`assessments.kind.${k}`) }))}
            error={errorOf(`${at}.kind`)}
          />
          <TextInput
            label={t('assessments.editor.key')}
            description={t('assessments.editor.keyHint')}
            value={q.key}
            onChange={(e) => onChange({ key: e.currentTarget.value })}
            error={errorOf(`${at}.key`)}
            required
            maxLength={80}
            data-focus={`field:${at}.key`}
          />
        </Group>
        {CHOICE_KINDS.includes(q.kind) ? (
          <OptionRows
            legend={t('assessments.editor.choices')}
            rows={choices.map((c) => ({ a: c.value, b: c.label }))}
            labels={{
              a: t('assessments.editor.choiceValue'),
              b: t('assessments.editor.choiceLabel'),
              add: t('assessments.editor.addChoice'),
              remove: t('assessments.editor.removeChoice'),
            }}
            error={errors(errorOf, `${at}.options`, 'choices')}
            focusId={`field:${at}.options`}
            onChange={(rows) => onChange({ options: { choices: rows.map((r) => ({ value: r.a, label: r.b })) } })}
          />
        ) : null}
        {q.kind === 'table_rows' ? (
          <OptionRows
            legend={t('assessments.editor.columns')}
            rows={columns.map((c) => ({ a: c.key, b: c.label }))}
            labels={{
              a: t('assessments.editor.columnKey'),
              b: t('assessments.editor.columnLabel'),
              add: t('assessments.editor.addColumn'),
              remove: t('assessments.editor.removeColumn'),
            }}
            error={errors(errorOf, `${at}.options`, 'columns')}
            focusId={`field:${at}.options`}
            onChange={(rows) => onChange({ options: { columns: rows.map((r) => ({ key: r.a, label: r.b })) } })}
          />
        ) : null}
        <TextInput
          label={t('assessments.bank.preAnswer')}
          description={t('assessments.editor.preAnswerHint')}
          value={q.preAnswerText}
          onChange={(e) => onChange({ preAnswerText: e.currentTarget.value })}
          error={errorOf(`${at}.preAnswer`)}
          data-focus={`field:${at}.preAnswer`}
        />
        {WORD_KINDS.includes(q.kind) ? (
          <TextInput
            label={t('assessments.editor.preAnswerFr')}
            description={t('assessments.editor.preAnswerFrHint')}
            lang="fr"
            value={q.preAnswerFrText}
            onChange={(e) => onChange({ preAnswerFrText: e.currentTarget.value })}
            error={errorOf(`${at}.fr.preAnswer`)}
            data-focus={`field:${at}.fr.preAnswer`}
          />
        ) : null}
        {(CHOICE_KINDS.includes(q.kind) && choices.length) || (q.kind === 'table_rows' && columns.length) ? (
          <Fieldset legend={t('assessments.editor.frenchLegend')} variant="filled">
            <Group grow align="flex-start" wrap="wrap">
              {CHOICE_KINDS.includes(q.kind)
                ? choices.map((c) => (
                    <TextInput
                      key={`choice-${c.value}`}
                      label={t('assessments.editor.choiceLabelFr', { label: c.label || c.value })}
                      lang="fr"
                      value={q.fr.choices[c.value] ?? ''}
                      onChange={(e) => onChange({ fr: { ...q.fr, choices: { ...q.fr.choices, [c.value]: e.currentTarget.value } } })}
                      error={errorOf(`${at}.fr.choices.${c.value}`)}
                      maxLength={300}
                      data-focus={`field:${at}.fr.choices.${c.value}`}
                    />
                  ))
                : columns.map((c) => (
                    <TextInput
                      key={`column-${c.key}`}
                      label={t('assessments.editor.columnLabelFr', { label: c.label || c.key })}
                      lang="fr"
                      value={q.fr.columns[c.key] ?? ''}
                      onChange={(e) => onChange({ fr: { ...q.fr, columns: { ...q.fr.columns, [c.key]: e.currentTarget.value } } })}
                      error={errorOf(`${at}.fr.columns.${c.key}`)}
                      maxLength={200}
                      data-focus={`field:${at}.fr.columns.${c.key}`}
                    />
                  ))}
            </Group>
          </Fieldset>
        ) : null}
        <Button
          variant="subtle"
          size="xs"
          w="fit-content"
          aria-expanded={showDetails}
          aria-controls={`${q.uid}-details`}
          onClick={() => setOpen(!showDetails)}
        >
          {showDetails ? t('assessments.editor.lessSettings') : t('assessments.editor.moreSettings')}
        </Button>
        {showDetails ? (
          <Stack gap="xs" id={`${q.uid}-details`}>
            <Fieldset legend={t('assessments.editor.evidenceLegend')} variant="unstyled">
              <Group grow align="flex-start" wrap="wrap">
                <TextInput
                  type="url"
                  label={t('assessments.evidence.url')}
                  value={q.evidence.url}
                  onChange={(e) => onChange({ evidence: { ...q.evidence, url: e.currentTarget.value } })}
                  error={errorOf(`${at}.preAnswerEvidence.url`)}
                  data-focus={`field:${at}.preAnswerEvidence.url`}
                />
                <TextInput
                  label={t('assessments.evidence.quote')}
                  value={q.evidence.quote}
                  onChange={(e) => onChange({ evidence: { ...q.evidence, quote: e.currentTarget.value } })}
                  error={errorOf(`${at}.preAnswerEvidence.quote`)}
                  data-focus={`field:${at}.preAnswerEvidence.quote`}
                />
                <TextInput
                  type="date"
                  label={t('assessments.evidence.seenOn')}
                  value={q.evidence.seenOn}
                  onChange={(e) => onChange({ evidence: { ...q.evidence, seenOn: e.currentTarget.value } })}
                  error={errorOf(`${at}.preAnswerEvidence.seenOn`)}
                  data-focus={`field:${at}.preAnswerEvidence.seenOn`}
                />
              </Group>
            </Fieldset>
            <Group grow align="flex-start">
              <Textarea
                label={t('assessments.guidance')}
                value={q.guidance}
                onChange={(e) => onChange({ guidance: e.currentTarget.value })}
                autosize
                minRows={1}
                maxLength={5000}
              />
              <Textarea
                label={t('assessments.editor.guidanceFr')}
                lang="fr"
                value={q.fr.guidance}
                onChange={(e) => onChange({ fr: { ...q.fr, guidance: e.currentTarget.value } })}
                error={errorOf(`${at}.fr.guidance`)}
                autosize
                minRows={1}
                maxLength={5000}
                data-focus={`field:${at}.fr.guidance`}
              />
            </Group>
            <Group>
              <Checkbox
                label={t('assessments.editor.required')}
                checked={q.required}
                onChange={(e) => onChange({ required: e.currentTarget.checked })}
              />
              <Checkbox
                label={t('assessments.editor.locked')}
                description={t('assessments.editor.lockedHint')}
                checked={q.locked}
                onChange={(e) => onChange({ locked: e.currentTarget.checked })}
              />
            </Group>
            <MultiSelect
              label={t('assessments.editor.jurisdictions')}
              data={[...JURISDICTIONS]}
              value={q.jurisdictions}
              onChange={(v) => onChange({ jurisdictions: v as QuestionDraft['jurisdictions'] })}
              error={errorOf(`${at}.jurisdictions`)}
              searchable
              clearable
            />
            <Checkbox
              label={t('assessments.editor.conditional')}
              checked={q.condition !== null}
              disabled={!earlier.length && q.condition === null}
              description={earlier.length ? undefined : t('assessments.editor.noEarlier')}
              onChange={(e) =>
                onChange({ condition: e.currentTarget.checked ? { questionKey: earlier.at(-1)?.key ?? '', anyOf: [] } : null })
              }
            />
            {q.condition ? (
              <Group grow align="flex-start">
                <NativeSelect
                  label={t('assessments.editor.conditionQuestion')}
                  value={q.condition.questionKey}
                  onChange={(e) => onChange({ condition: { questionKey: e.currentTarget.value, anyOf: [] } })}
                  data={[{ value: '', label: '—' }, ...earlier.map((e) => ({ value: e.key, label: `${e.prompt || e.key} (${e.key})` }))]}
                  error={errorOf(`${at}.condition.questionKey`)}
                  data-focus={`field:${at}.condition.questionKey`}
                />
                {values ? (
                  <Checkbox.Group
                    label={t('assessments.editor.conditionValues')}
                    value={q.condition.anyOf}
                    onChange={(anyOf) => onChange({ condition: { ...q.condition!, anyOf } })}
                    error={errorOf(`${at}.condition.anyOf`)}
                  >
                    <Group mt={4}>
                      {values.map((v) => (
                        <Checkbox
                          key={v.value}
                          value={v.value}
                          label={conditionOn?.kind === 'yes_no_unsure' ? t(`assessments.answer.${v.value as 'yes'}`) : v.label}
                        />
                      ))}
                    </Group>
                  </Checkbox.Group>
                ) : (
                  <TextInput
                    label={t('assessments.editor.conditionValues')}
                    description={t('assessments.editor.conditionValuesHint')}
                    value={q.condition.anyOf.join(', ')}
                    onChange={(e) =>
                      onChange({
                        condition: {
                          ...q.condition!,
                          anyOf: e.currentTarget.value
                            .split(',')
                            .map((x) => x.trim())
                            .filter(Boolean),
                        },
                      })
                    }
                    error={errorOf(`${at}.condition.anyOf`)}
                    data-focus={`field:${at}.condition.anyOf`}
                  />
                )}
              </Group>
            ) : null}
          </Stack>
        ) : null}
      </Stack>
    </Fieldset>
  );
}

/** The problem of an options list (its own, or of one of its rows). */
function errors(errorOf: (p: string) => string | undefined, path: string, list: string): string | undefined {
  return errorOf(`${path}.${list}`) ?? errorOf(path);
}

interface OptionRowsProps {
  legend: string;
  rows: { a: string; b: string }[];
  labels: { a: string; b: string; add: string; remove: string };
  error: string | undefined;
  focusId: string;
  onChange: (rows: { a: string; b: string }[]) => void;
}

/** Pairs (value and label, or key and label) of a choice list or a table's columns. */
function OptionRows({ legend, rows, labels, error, focusId, onChange }: OptionRowsProps) {
  const set = (i: number, patch: Partial<{ a: string; b: string }>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Fieldset legend={legend} variant="unstyled">
      <Stack gap={4}>
        {rows.map((r, i) => (
          <Group key={i} align="flex-end" wrap="nowrap">
            <TextInput label={`${labels.a} ${i + 1}`} value={r.a} onChange={(e) => set(i, { a: e.currentTarget.value })} maxLength={80} />
            <TextInput
              label={`${labels.b} ${i + 1}`}
              value={r.b}
              onChange={(e) => set(i, { b: e.currentTarget.value })}
              maxLength={300}
              style={{ flex: 1 }}
            />
            <Button
              variant="subtle"
              color="red"
              size="xs"
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
              aria-label={`${labels.remove} ${i + 1}`}
            >
              ×
            </Button>
          </Group>
        ))}
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
        <Button
          variant="subtle"
          size="xs"
          w="fit-content"
          onClick={() => onChange([...rows, { a: `option-${rows.length + 1}`, b: '' }])}
          data-focus={focusId}
        >
          {labels.add}
        </Button>
      </Stack>
    </Fieldset>
  );
}
