/** The editor of one answer, by question kind, with autosave and optimistic concurrency. */
import { Checkbox, Group, MultiSelect, NumberInput, Radio, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentBody, AssessmentQuestionBody } from '../../../contracts/assessments.js';
import { DATA_ELEMENT_CODES } from '../../../contracts/domain.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { assessmentQuery } from './queries.js';

interface Saved {
  questionId: string;
  answer: NonNullable<AssessmentQuestionBody['answer']>;
  assessmentVersion: number;
}

export function AnswerField({ assessmentId, question, disabled }: { assessmentId: string; question: AssessmentQuestionBody; disabled: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  // Announced in a live region that is always there, so screen readers hear "Saving…" then "Saved".
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const id = `q-${question.id}`;
  // Shown at once while the save is on its way (and kept if it fails, next to the error).
  const [pending, setPending] = useState<{ v: unknown } | null>(null);
  const value = pending ? pending.v : (question.answer?.value ?? null);
  const readOnly = disabled || (question.locked && question.answer?.origin === 'operator');

  async function save(next: unknown) {
    setStatus('saving');
    setError(null);
    setPending({ v: next });
    try {
      const saved = await api<Saved>(`/assessments/${assessmentId}/answers/${question.id}`, { method: 'PUT', body: { value: next, version: question.answer?.version ?? 0 } });
      queryClient.setQueryData(assessmentQuery(assessmentId).queryKey, (old: AssessmentBody | undefined) =>
        old
          ? {
              ...old,
              version: saved.assessmentVersion,
              revision: {
                ...old.revision,
                sections: old.revision.sections.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === question.id ? { ...q, answer: saved.answer } : q)) })),
              },
            }
          : old,
      );
      // Conditions may show or hide other questions: refresh the whole record in the background.
      void queryClient.invalidateQueries({ queryKey: assessmentQuery(assessmentId).queryKey });
      setPending(null);
      setStatus('saved');
    } catch (err) {
      setError(err);
      setStatus('idle');
    }
  }

  const label = question.prompt;
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
      field = <Select label={label} data={choices.map((c) => ({ value: c.value, label: c.label }))} value={(value as string) ?? null} onChange={(v) => void save(v)} disabled={readOnly} clearable id={id} />;
      break;
    case 'multiple_choice':
      field = (
        <Checkbox.Group label={label} value={(value as string[]) ?? []} onChange={(v) => void save(v)}>
          <Group mt={4}>
            {choices.map((c) => (
              <Checkbox key={c.value} value={c.value} label={c.label} disabled={readOnly} />
            ))}
          </Group>
        </Checkbox.Group>
      );
      break;
    case 'data_elements':
      field = <MultiSelect label={label} data={DATA_ELEMENT_CODES.map((c) => ({ value: c, label: t(`dataElement.${c}`) }))} value={(value as string[]) ?? []} onChange={(v) => void save(v)} disabled={readOnly} searchable id={id} />;
      break;
    case 'long_text':
      field = <TextBlur multiline label={label} id={id} initial={(value as string) ?? ''} disabled={readOnly} onCommit={(v) => void save(v)} />;
      break;
    case 'date':
      field = <TextBlur type="date" label={label} id={id} initial={(value as string) ?? ''} disabled={readOnly} onCommit={(v) => void save(v || null)} />;
      break;
    case 'country_list':
      field = (
        <TextBlur
          label={label}
          description={t('assessments.answer.countriesHint')}
          id={id}
          initial={((value as string[]) ?? []).join(', ')}
          disabled={readOnly}
          onCommit={(v) => void save(v.split(/[\s,]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))}
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
          description={`${t('assessments.answer.rowsHint')} (${columns.map((c) => c.label).join(' | ')})`}
          id={id}
          initial={rows.map((r) => columns.map((c) => r[c.key] ?? '').join(' | ')).join('\n')}
          disabled={readOnly}
          onCommit={(v) =>
            void save(
              v
                .split('\n')
                .filter((line) => line.trim())
                .map((line) => Object.fromEntries(line.split('|').map((cell, i) => [columns[i]?.key ?? `c${i}`, cell.trim()]).filter(([k]) => columns.some((c) => c.key === k)))),
            )
          }
        />
      );
      break;
    }
    case 'evidence_link': {
      const link = (value as { url: string; label: string } | null) ?? null;
      field = <TextBlur label={label} description={t('assessments.answer.url')} id={id} type="url" initial={link?.url ?? ''} disabled={readOnly} onCommit={(v) => void save(v ? { url: v, label: link?.label ?? '' } : null)} />;
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
            <NumberInput label={t('assessments.answer.likelihood')} min={1} max={5} value={risk?.likelihood ?? ''} disabled={readOnly} onChange={(v) => typeof v === 'number' && void save({ likelihood: v, impact: risk?.impact ?? 1 })} />
            <NumberInput label={t('assessments.answer.impact')} min={1} max={5} value={risk?.impact ?? ''} disabled={readOnly} onChange={(v) => typeof v === 'number' && void save({ likelihood: risk?.likelihood ?? 1, impact: v })} />
          </Group>
        </Stack>
      );
      break;
    }
    default:
      field = <TextBlur label={label} id={id} initial={(value as string) ?? ''} disabled={readOnly} onCommit={(v) => void save(v)} />;
  }
  return (
    <Stack gap={4}>
      {field}
      <Text size="xs" c="dimmed" role="status" aria-live="polite" aria-atomic="true" data-autosave={status}>
        {status === 'saving' ? t('assessments.saving') : status === 'saved' ? t('assessments.savedAt') : ''}
      </Text>
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}

/** A text input that saves when it loses focus (autosave), only if the text changed. */
function TextBlur(props: { label: string; id: string; initial: string; disabled: boolean; onCommit: (v: string) => void; multiline?: boolean; type?: string; description?: string }) {
  const [text, setText] = useState(props.initial);
  const [last, setLast] = useState(props.initial);
  if (props.initial !== last) {
    setLast(props.initial);
    setText(props.initial);
  }
  const commit = () => {
    if (text !== props.initial) props.onCommit(text);
  };
  const common = { id: props.id, label: props.label, description: props.description, value: text, disabled: props.disabled, onBlur: commit, onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setText(e.currentTarget.value) };
  return props.multiline ? <Textarea autosize minRows={2} {...common} /> : <TextInput type={props.type ?? 'text'} {...common} />;
}
