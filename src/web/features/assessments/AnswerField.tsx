/** The editor of one answer, by question kind, with autosave and optimistic concurrency. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentBody, AssessmentQuestionBody, EvidenceInput } from '../../../contracts/assessments.js';
import { DATA_ELEMENT_CODES } from '../../../contracts/domain.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { ApiError, api } from '../../lib/api.js';
import { useSerialSave } from '../../lib/use-serial-save.js';
import { assessmentQuery } from './queries.js';
import { BankText } from './BankText.js';
import { describeAnswer, tableRowsFromText, tableRowsText } from './describe-answer.js';

export { describeAnswer };

interface Saved {
  questionId: string;
  answer: NonNullable<AssessmentQuestionBody['answer']>;
  assessmentVersion: number;
}

type Answer = NonNullable<AssessmentQuestionBody['answer']>;

/** What one save sends: the answer's value, and its evidence when the person changed it (omitted: unchanged). */
interface Change {
  value: unknown;
  evidence?: EvidenceInput;
}

/** Another person's save met ours: their answer as now stored, and what this person wanted. */
interface Conflict {
  theirs: Answer | null;
  mine: Change;
}

export function AnswerField({
  assessmentId,
  question,
  disabled,
}: {
  assessmentId: string;
  question: AssessmentQuestionBody;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const id = `q-${question.id}`;
  // The person's latest value (and evidence), shown at once while saves are on their way (and kept if one fails).
  const [pending, setPending] = useState<Change | null>(null);
  const value = pending ? pending.value : (question.answer?.value ?? null);
  const readOnly = disabled || (question.locked && question.answer?.origin === 'operator');

  const queue = useSerialSave<Change, Saved>({
    version: question.answer?.version ?? 0,
    save: (next, version) =>
      api<Saved>(`/assessments/${assessmentId}/answers/${question.id}`, {
        method: 'PUT',
        body: { value: next.value, ...(next.evidence ? { evidence: next.evidence } : {}), version },
      }),
    versionOf: (saved) => saved.answer.version,
    onSaved: (saved, settled) => {
      queryClient.setQueryData(assessmentQuery(assessmentId).queryKey, (old: AssessmentBody | undefined) =>
        old
          ? {
              ...old,
              version: Math.max(old.version, saved.assessmentVersion),
              revision: {
                ...old.revision,
                sections: old.revision.sections.map((s) => ({
                  ...s,
                  questions: s.questions.map((q) => (q.id === question.id ? { ...q, answer: saved.answer } : q)),
                })),
              },
            }
          : old,
      );
      if (!settled) return;
      setPending(null);
      // Conditions may show or hide other questions: refresh the whole record in the background.
      void queryClient.invalidateQueries({ queryKey: assessmentQuery(assessmentId).queryKey });
    },
    onFailed: (err, latest) => {
      if (err instanceof ApiError && err.status === 409 && err.code === 'stale') {
        // A real conflict (our own saves never conflict: they go one after the other). Fetch theirs to show both.
        void queryClient
          .fetchQuery({ ...assessmentQuery(assessmentId), staleTime: 0 })
          .then((fresh) => {
            const theirs = fresh.revision.sections.flatMap((s) => s.questions).find((q) => q.id === question.id)?.answer ?? null;
            setConflict({ theirs, mine: latest });
          })
          .catch((fetchError: unknown) => setError(fetchError));
        return;
      }
      setError(err);
    },
  });

  // Saves coalesce into the latest: a change of value carries the evidence changed before it (and
  // the other way round), so neither is lost while the other is on its way.
  function submit(next: Change) {
    setError(null);
    setConflict(null);
    setPending(next);
    queue.submit(next);
  }
  function save(next: unknown) {
    submit({ value: next, ...(pending?.evidence ? { evidence: pending.evidence } : {}) });
  }
  function saveEvidence(evidence: EvidenceInput) {
    submit({ value, evidence });
  }

  function keepMine(c: Conflict) {
    setConflict(null);
    setPending(c.mine);
    queue.rebase(c.theirs?.version ?? 0, c.mine);
  }

  function takeTheirs(c: Conflict) {
    setConflict(null);
    setPending(null);
    queue.rebase(c.theirs?.version ?? 0);
  }

  const label = (
    <BankText origin={question.origin} lang={question.lang}>
      {question.prompt}
    </BankText>
  );
  // The operator's pre-answer is bank text in the question's language; an answer someone wrote is theirs.
  const valueLang = question.origin === 'operator' && question.answer?.origin === 'operator' ? (question.lang ?? undefined) : undefined;
  const choices = question.options.choices ?? [];
  let field: React.ReactNode;
  switch (question.kind) {
    case 'yes_no_unsure':
      field = (
        <Radio.Group label={label} value={(value as string) ?? ''} onChange={(v) => void save(v)} name={id}>
          <Group mt={4}>
            {(['yes', 'no', 'unsure'] as const).map((v) => (
              <Radio key={v} value={v} label={t(`assessments.answer.${v}`)} disabled={readOnly} />
            ))}
          </Group>
        </Radio.Group>
      );
      break;
    case 'single_choice':
      field = (
        <Select
          label={label}
          data={choices.map((c) => ({ value: c.value, label: c.label }))}
          value={(value as string) ?? null}
          onChange={(v) => void save(v)}
          disabled={readOnly}
          clearable
          id={id}
        />
      );
      break;
    case 'multiple_choice':
      field = (
        <Checkbox.Group label={label} value={(value as string[]) ?? []} onChange={(v) => void save(v)}>
          <Group mt={4}>
            {choices.map((c) => (
              <Checkbox
                key={c.value}
                value={c.value}
                label={
                  <BankText origin={question.origin} lang={question.lang}>
                    {c.label}
                  </BankText>
                }
                disabled={readOnly}
              />
            ))}
          </Group>
        </Checkbox.Group>
      );
      break;
    case 'data_elements':
      field = (
        <MultiSelect
          label={label}
          data={DATA_ELEMENT_CODES.map((c) => ({ value: c, label: t(`dataElement.${c}`) }))}
          value={(value as string[]) ?? []}
          onChange={(v) => void save(v)}
          disabled={readOnly}
          searchable
          id={id}
        />
      );
      break;
    case 'long_text':
      field = (
        <TextBlur
          multiline
          label={label}
          id={id}
          lang={valueLang}
          initial={(value as string) ?? ''}
          disabled={readOnly}
          onCommit={(v) => void save(v)}
        />
      );
      break;
    case 'date':
      field = (
        <TextBlur
          type="date"
          label={label}
          id={id}
          initial={(value as string) ?? ''}
          disabled={readOnly}
          onCommit={(v) => void save(v || null)}
        />
      );
      break;
    case 'country_list':
      field = (
        <TextBlur
          label={label}
          description={t('assessments.answer.countriesHint')}
          id={id}
          initial={((value as string[]) ?? []).join(', ')}
          disabled={readOnly}
          onCommit={(v) =>
            void save(
              v
                .split(/[\s,]+/)
                .map((c) => c.trim().toUpperCase())
                .filter(Boolean),
            )
          }
        />
      );
      break;
    case 'table_rows': {
      const columns = question.options.columns ?? [];
      const rows = (value as Record<string, string>[]) ?? [];
      field = (
        <TextBlur
          multiline
          label={label}
          lang={valueLang}
          description={
            <>
              {t('assessments.answer.rowsHint')} (
              <BankText origin={question.origin} lang={question.lang}>
                {columns.map((c) => c.label).join(' | ')}
              </BankText>
              )
            </>
          }
          id={id}
          initial={tableRowsText(rows, columns)}
          disabled={readOnly}
          onCommit={(v) => void save(tableRowsFromText(v, columns))}
        />
      );
      break;
    }
    case 'evidence_link': {
      const link = (value as { url: string; label: string } | null) ?? null;
      field = (
        <TextBlur
          label={label}
          description={t('assessments.answer.url')}
          id={id}
          type="url"
          initial={link?.url ?? ''}
          disabled={readOnly}
          onCommit={(v) => void save(v ? { url: v, label: link?.label ?? '' } : null)}
        />
      );
      break;
    }
    case 'risk': {
      const risk = (value as { likelihood: number; impact: number } | null) ?? null;
      field = (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <Group>
            <NumberInput
              label={t('assessments.answer.likelihood')}
              min={1}
              max={5}
              value={risk?.likelihood ?? ''}
              disabled={readOnly}
              onChange={(v) => typeof v === 'number' && void save({ likelihood: v, impact: risk?.impact ?? 1 })}
            />
            <NumberInput
              label={t('assessments.answer.impact')}
              min={1}
              max={5}
              value={risk?.impact ?? ''}
              disabled={readOnly}
              onChange={(v) => typeof v === 'number' && void save({ likelihood: risk?.likelihood ?? 1, impact: v })}
            />
          </Group>
        </Stack>
      );
      break;
    }
    default:
      field = (
        <TextBlur
          label={label}
          id={id}
          lang={valueLang}
          initial={(value as string) ?? ''}
          disabled={readOnly}
          onCommit={(v) => void save(v)}
        />
      );
  }
  return (
    <Stack gap={4}>
      {field}
      <EvidenceFields
        id={id}
        evidence={pending?.evidence ?? question.answer?.evidence ?? null}
        stale={!pending?.evidence && (question.answer?.evidence?.stale ?? false)}
        disabled={readOnly}
        onCommit={saveEvidence}
      />
      <Text size="xs" c="dimmed" role="status" aria-live="polite" aria-atomic="true" data-autosave={queue.status}>
        {queue.status === 'saving' ? t('assessments.saving') : queue.status === 'saved' ? t('assessments.savedAt') : ''}
      </Text>
      {conflict ? (
        <ConflictChoice
          question={question}
          conflict={conflict}
          onKeepMine={() => keepMine(conflict)}
          onTakeTheirs={() => takeTheirs(conflict)}
        />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}

/** Today's calendar day where the person is, `YYYY-MM-DD` (the day a source is seen, by default). */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The source of an answer and the day it was seen: shown in words, with a "stale" badge when the
 * server flags it; "Add evidence" / "Edit evidence" opens the fields, saved with the answer when
 * focus leaves them (a source without a day is dated today; a day without a source waits for one).
 */
function EvidenceFields(props: {
  id: string;
  evidence: { url?: string | null; quote?: string; seenOn?: string | null } | null;
  stale: boolean;
  disabled: boolean;
  onCommit: (e: EvidenceInput) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const initial = { url: props.evidence?.url ?? '', quote: props.evidence?.quote ?? '', seenOn: props.evidence?.seenOn ?? '' };
  const [draft, setDraft] = useState(initial);
  const [needsSource, setNeedsSource] = useState(false);
  // Typed but not yet saved: a save or reload arriving meanwhile does not overwrite it.
  const [dirty, setDirty] = useState(false);
  const key = JSON.stringify(initial);
  const [last, setLast] = useState(key);
  if (key !== last && !dirty) {
    setLast(key);
    setDraft(initial);
  }
  const commit = () => {
    const named = draft.url.trim() !== '' || draft.quote.trim() !== '';
    const next = { url: draft.url.trim(), quote: draft.quote.trim(), seenOn: draft.seenOn || (named ? localToday() : '') };
    setNeedsSource(!named && next.seenOn !== '');
    if (!named && next.seenOn !== '') return;
    setDirty(false);
    if (next.url === initial.url && next.quote === initial.quote && next.seenOn === initial.seenOn) return;
    setDraft(next);
    props.onCommit({ url: next.url || null, quote: next.quote, seenOn: next.seenOn || null });
  };
  const field = (name: 'url' | 'quote' | 'seenOn') => ({
    id: `${props.id}-evidence-${name}`,
    value: draft[name],
    disabled: props.disabled,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const v = e.currentTarget.value;
      setDirty(true);
      setDraft((d) => ({ ...d, [name]: v }));
    },
  });
  const e = props.evidence;
  const shown = e && (e.url || e.quote || e.seenOn) ? e : null;
  return (
    <Stack gap={2} data-evidence>
      <Group gap="xs" wrap="wrap">
        {shown ? (
          <Text size="xs" data-evidence-summary>
            {t('assessments.evidence.source')}:{' '}
            {shown.url ? (
              <Anchor href={shown.url} target="_blank" rel="noreferrer" size="xs">
                {shown.url}
              </Anchor>
            ) : null}
            {shown.url && shown.quote ? ' · ' : null}
            {shown.quote ? <q>{shown.quote}</q> : null}
            {shown.seenOn ? ` · ${t('assessments.evidence.seenOnShort', { day: shown.seenOn })}` : null}
          </Text>
        ) : null}
        {props.stale ? (
          <Badge size="sm" variant="filled" color="red.9" data-evidence-stale title={t('assessments.evidence.staleHint')}>
            {t('assessments.evidence.stale')}
          </Badge>
        ) : null}
        {props.disabled ? null : (
          <Button
            size="compact-xs"
            variant="subtle"
            aria-expanded={open}
            aria-controls={`${props.id}-evidence`}
            onClick={() => setOpen((o) => !o)}
          >
            {shown ? t('assessments.evidence.edit') : t('assessments.evidence.add')}
          </Button>
        )}
      </Group>
      {props.stale ? (
        <Text size="xs" c="red.9">
          {t('assessments.evidence.staleHint')}
        </Text>
      ) : null}
      {open && !props.disabled ? (
        <Group
          // Saved once focus leaves the three fields (not between them).
          onBlur={(e: React.FocusEvent<HTMLDivElement>) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) commit();
          }}
          id={`${props.id}-evidence`}
          role="group"
          aria-label={t('assessments.evidence.legend')}
          align="flex-start"
          gap="xs"
          wrap="wrap"
        >
          <TextInput type="url" label={t('assessments.evidence.url')} {...field('url')} style={{ flex: '2 1 16rem' }} />
          <Textarea autosize minRows={1} label={t('assessments.evidence.quote')} {...field('quote')} style={{ flex: '2 1 16rem' }} />
          <TextInput
            type="date"
            label={t('assessments.evidence.seenOn')}
            max={localToday()}
            {...field('seenOn')}
            error={needsSource ? t('assessments.evidence.needsSource') : undefined}
            style={{ flex: '1 1 10rem' }}
          />
        </Group>
      ) : null}
    </Stack>
  );
}

/** A text input that saves when it loses focus (autosave), only if the text changed. */
function TextBlur(props: {
  label: React.ReactNode;
  id: string;
  initial: string;
  disabled: boolean;
  onCommit: (v: string) => void;
  multiline?: boolean;
  type?: string;
  description?: React.ReactNode;
  lang?: string | undefined;
}) {
  const [text, setText] = useState(props.initial);
  const [last, setLast] = useState(props.initial);
  if (props.initial !== last) {
    setLast(props.initial);
    setText(props.initial);
  }
  const commit = () => {
    if (text !== props.initial) props.onCommit(text);
  };
  const common = {
    id: props.id,
    ...(props.lang ? { lang: props.lang } : {}),
    label: props.label,
    description: props.description,
    value: text,
    disabled: props.disabled,
    onBlur: commit,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setText(e.currentTarget.value),
  };
  return props.multiline ? <Textarea autosize minRows={2} {...common} /> : <TextInput type={props.type ?? 'text'} {...common} />;
}

/** Both answers side by side after another person's save, and the choice between them. */
function ConflictChoice({
  question,
  conflict,
  onKeepMine,
  onTakeTheirs,
}: {
  question: AssessmentQuestionBody;
  conflict: Conflict;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const { t } = useTranslation();
  const name = conflict.theirs?.updatedBy?.name;
  return (
    <Alert color="orange" variant="light" role="alert" title={t('assessments.conflict.title')} data-conflict>
      <Stack gap="xs">
        <div>
          <Text size="sm" fw={600}>
            {name ? t('assessments.conflict.theirs', { name }) : t('assessments.conflict.theirsUnknown')}
          </Text>
          <Text size="sm" data-conflict-theirs>
            {describeAnswer(question, conflict.theirs?.value ?? null, t)}
          </Text>
        </div>
        <div>
          <Text size="sm" fw={600}>
            {t('assessments.conflict.mine')}
          </Text>
          <Text size="sm" data-conflict-mine>
            {describeAnswer(question, conflict.mine.value, t)}
          </Text>
        </div>
        <Group gap="xs">
          <Button size="xs" onClick={onKeepMine}>
            {t('assessments.conflict.keepMine')}
          </Button>
          <Button size="xs" variant="default" onClick={onTakeTheirs}>
            {t('assessments.conflict.takeTheirs')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
