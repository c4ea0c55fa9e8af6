/**
 * `/vendor?token=…` (and `&lang=fr`): the vendor contact's page, reached by the link of the invitation
 * mail. No account and no cookie: it shows only its own questionnaire (the product and the questions,
 * never who asked), saves each answer with its evidence as the vendor goes, and submits once. The page
 * opens in the invitation's language; the switch (or `?lang=`) reads the questions in the other.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Checkbox,
  CloseButton,
  Container,
  FileInput,
  Group,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VendorFile, VendorPage as VendorPageBody, VendorQuestion } from '../../../contracts/vendors.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { PublicHeader } from '../../components/PublicLayout.js';
import { ApiError, fieldError } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';
import { useFormat } from '../../lib/format.js';
import { useSerialSave } from '../../lib/use-serial-save.js';
import { tableRowsFromText, tableRowsText } from '../assessments/describe-answer.js';
import { removeVendorFile, saveVendorAnswer, submitVendorAnswers, uploadVendorFile, vendorFileUrl, vendorPageQuery } from './api.js';

export function VendorPage() {
  const { token = '', lang } = useSearch({ strict: false }) as { token?: string; lang?: string };
  const { t, i18n } = useTranslation();
  const language = i18n.language.startsWith('fr') ? 'fr' : 'en';
  // The invitation's language first (or `?lang=`), once; the switch in the header then decides.
  const opened = useRef(false);
  const page = useQuery({
    ...vendorPageQuery(token, language),
    enabled: !!token,
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  useEffect(() => {
    if (opened.current || !page.data) return;
    opened.current = true;
    const wanted = lang === 'fr' || lang === 'en' ? lang : page.data.language;
    if (wanted !== language) void i18n.changeLanguage(wanted);
  }, [page.data, lang, language, i18n]);
  const product = page.data?.productName;
  useEffect(() => {
    document.title = product ? `${t('vendors.page.title', { product })} — ${t('common.appName')}` : t('common.appName');
  }, [product, t]);
  const missing = !token || (page.error instanceof ApiError && page.error.status === 404);

  return (
    <Box mih="100vh" bg="gray.0">
      <PublicHeader />
      <Container size="md" component="main" py="md">
        {missing ? (
          <Stack>
            <Title order={1}>{t('vendors.page.notFound')}</Title>
            <Text>{t('vendors.page.notFoundHint')}</Text>
          </Stack>
        ) : page.isPending ? (
          <Loading />
        ) : page.error ? (
          <ErrorAlert error={page.error} />
        ) : (
          <Questionnaire token={token} page={page.data} />
        )}
      </Container>
    </Box>
  );
}

function Questionnaire({ token, page }: { token: string; page: VendorPageBody }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const client = useQueryClient();
  const language = i18n.language.startsWith('fr') ? 'fr' : 'en';
  const questions = page.sections.flatMap((s) => s.questions);
  const [answered, setAnswered] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(questions.map((q) => [q.key, hasValue(q.answer?.value)])),
  );
  const count = questions.filter((q) => answered[q.key] ?? hasValue(q.answer?.value)).length;
  const open = page.status === 'open';
  const submit = useMutation({
    mutationFn: () => submitVendorAnswers(token),
    onSuccess: (fresh) => client.setQueryData(vendorPageQuery(token, language).queryKey, fresh),
  });
  const problems = fieldsOf(submit.error);

  return (
    <Stack gap="lg">
      <Paper withBorder p="lg">
        <Stack gap="xs">
          <Title order={1}>{t('vendors.page.title', { product: page.productName })}</Title>
          {page.vendorName ? <Text fw={500}>{page.vendorName}</Text> : null}
          {open ? (
            <>
              <Text>{t('vendors.page.intro', { product: page.productName })}</Text>
              <Text size="sm">{t('vendors.page.expires', { date: fmt.date(page.expiresAt) })}</Text>
            </>
          ) : (
            <Alert color="green" variant="light" role="status">
              {t('vendors.page.submitted', { date: fmt.date(page.submittedAt) })}
            </Alert>
          )}
          <Text size="sm" role="status" aria-live="polite" data-testid="answered-count">
            {t('vendors.page.answeredCount', { answered: count, total: questions.length })}
          </Text>
        </Stack>
      </Paper>
      {page.sections.map((s) => (
        <Paper key={s.key} withBorder p="lg" component="section" aria-labelledby={`vs-${s.key}`}>
          <Stack>
            <Title order={2} size="h3" id={`vs-${s.key}`}>
              {s.title}
            </Title>
            {s.questions.map((q) => (
              <QuestionCard
                key={`${q.key}-${language}`}
                token={token}
                question={q}
                readOnly={!open}
                problem={fieldError(problems, `answers.${q.key}`)}
                onAnswered={(yes) => setAnswered((old) => ({ ...old, [q.key]: yes }))}
              />
            ))}
          </Stack>
        </Paper>
      ))}
      {open ? (
        <Paper withBorder p="lg">
          <Stack gap="xs">
            <Text size="sm">{t('vendors.page.submitHint')}</Text>
            {submit.error ? <ErrorAlert error={submit.error} /> : null}
            <Group>
              <Button onClick={() => submit.mutate()} loading={submit.isPending}>
                {t('vendors.page.submit')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}

function hasValue(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
}

interface Draft {
  value: unknown;
  url: string;
  quote: string;
  seenOn: string;
}

/** One question: its answer and evidence, saved (one after the other) whenever a field is left or a choice made. */
function QuestionCard({
  token,
  question: q,
  readOnly,
  problem,
  onAnswered,
}: {
  token: string;
  question: VendorQuestion;
  readOnly: boolean;
  problem: string | undefined;
  onAnswered: (yes: boolean) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>({
    value: q.answer?.value ?? null,
    url: q.answer?.evidence.url ?? '',
    quote: q.answer?.evidence.quote ?? '',
    seenOn: q.answer?.evidence.seenOn ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const saver = useSerialSave<Draft, { version: number }>({
    version: q.answer?.version ?? 0,
    save: (d, version) =>
      saveVendorAnswer({
        token,
        questionKey: q.key,
        value: d.value,
        evidenceUrl: d.url.trim() || null,
        evidenceQuote: d.quote,
        evidenceSeenOn: d.seenOn || null,
        version,
      }),
    versionOf: (r) => r.version,
    onSaved: (_r, settled) => {
      if (settled) setError(null);
    },
    onFailed: (e) => setError(e),
  });
  const commit = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    onAnswered(hasValue(next.value));
    saver.submit(next);
  };
  const fields = fieldsOf(error);
  const id = `vq-${q.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const label = (
    <>
      {q.prompt}{' '}
      {q.required ? (
        <Badge size="xs" variant="light" component="span">
          {t('vendors.page.required')}
        </Badge>
      ) : null}
    </>
  );
  const choices = q.options.choices ?? [];
  const valueError = fieldError(fields, 'value') ?? problem;
  let field: React.ReactNode;
  switch (q.kind) {
    case 'yes_no_unsure':
      field = (
        <Radio.Group
          label={label}
          value={(draft.value as string) ?? ''}
          onChange={(v) => commit({ value: v })}
          name={id}
          error={valueError}
        >
          <Group mt={4}>
            {(['yes', 'no', 'unsure'] as const).map((v) => (
              <Radio key={v} value={v} label={t(`vendors.page.${v}`)} disabled={readOnly} />
            ))}
          </Group>
        </Radio.Group>
      );
      break;
    case 'single_choice':
      field = (
        <Select
          label={label}
          id={id}
          data={choices.map((c) => ({ value: c.value, label: c.label }))}
          value={(draft.value as string) ?? null}
          onChange={(v) => commit({ value: v })}
          disabled={readOnly}
          clearable
          error={valueError}
        />
      );
      break;
    case 'multiple_choice':
      field = (
        <Checkbox.Group label={label} value={(draft.value as string[]) ?? []} onChange={(v) => commit({ value: v })} error={valueError}>
          <Group mt={4}>
            {choices.map((c) => (
              <Checkbox key={c.value} value={c.value} label={c.label} disabled={readOnly} />
            ))}
          </Group>
        </Checkbox.Group>
      );
      break;
    case 'risk': {
      const risk = (draft.value as { likelihood: number; impact: number } | null) ?? null;
      field = (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <Group>
            <NumberInput
              label={t('vendors.page.likelihood')}
              min={1}
              max={5}
              value={risk?.likelihood ?? ''}
              disabled={readOnly}
              onBlur={(e) =>
                Number(e.currentTarget.value) && commit({ value: { likelihood: Number(e.currentTarget.value), impact: risk?.impact ?? 1 } })
              }
            />
            <NumberInput
              label={t('vendors.page.impact')}
              min={1}
              max={5}
              value={risk?.impact ?? ''}
              disabled={readOnly}
              onBlur={(e) =>
                Number(e.currentTarget.value) &&
                commit({ value: { likelihood: risk?.likelihood ?? 1, impact: Number(e.currentTarget.value) } })
              }
            />
          </Group>
          {valueError ? (
            <Text size="sm" c="red.8">
              {valueError}
            </Text>
          ) : null}
        </Stack>
      );
      break;
    }
    default:
      field = (
        <TextValue
          question={q}
          label={label}
          id={id}
          value={draft.value}
          readOnly={readOnly}
          error={valueError}
          onCommit={(v) => commit({ value: v })}
        />
      );
  }

  return (
    <Stack
      gap="xs"
      data-vendor-question={q.key}
      data-required={q.required ? 'true' : undefined}
      pb="md"
      style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
    >
      {field}
      {q.guidance ? (
        <Text size="sm" c="dimmed">
          {q.guidance}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <BlurInput
          label={t('vendors.page.evidenceUrl')}
          type="url"
          value={draft.url}
          readOnly={readOnly}
          error={fieldError(fields, 'evidenceUrl')}
          onCommit={(v) => commit({ url: v })}
        />
        <BlurInput
          label={t('vendors.page.evidenceSeenOn')}
          type="date"
          value={draft.seenOn}
          readOnly={readOnly}
          error={fieldError(fields, 'evidenceSeenOn')}
          onCommit={(v) => commit({ seenOn: v })}
        />
      </SimpleGrid>
      <BlurInput
        label={t('vendors.page.evidenceQuote')}
        multiline
        value={draft.quote}
        readOnly={readOnly}
        error={fieldError(fields, 'evidenceQuote')}
        onCommit={(v) => commit({ quote: v })}
      />
      <EvidenceFiles token={token} question={q} readOnly={readOnly} />
      <Text size="xs" c="dimmed" role="status" aria-live="polite" aria-atomic="true" data-autosave={saver.status}>
        {saver.status === 'saving' ? t('vendors.page.saving') : saver.status === 'saved' ? t('vendors.page.saved') : ''}
      </Text>
      {error && Object.keys(fields).length === 0 ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}

/** The text kinds: written as text, saved in the question's shape when the field is left. */
function TextValue({
  question: q,
  label,
  id,
  value,
  readOnly,
  error,
  onCommit,
}: {
  question: VendorQuestion;
  label: React.ReactNode;
  id: string;
  value: unknown;
  readOnly: boolean;
  error: string | undefined;
  onCommit: (v: unknown) => void;
}) {
  const { t } = useTranslation();
  const columns = q.options.columns ?? [];
  switch (q.kind) {
    case 'country_list':
      return (
        <BlurInput
          id={id}
          label={label}
          description={t('vendors.page.countriesHint')}
          value={((value as string[]) ?? []).join(', ')}
          readOnly={readOnly}
          error={error}
          onCommit={(v) =>
            onCommit(
              v
                .split(/[\s,]+/)
                .map((c) => c.trim().toUpperCase())
                .filter(Boolean),
            )
          }
        />
      );
    case 'data_elements':
      return (
        <BlurInput
          id={id}
          label={label}
          value={((value as string[]) ?? []).join(', ')}
          readOnly={readOnly}
          error={error}
          onCommit={(v) =>
            onCommit(
              v
                .split(/[\s,]+/)
                .map((c) => c.trim())
                .filter(Boolean),
            )
          }
        />
      );
    case 'date':
      return (
        <BlurInput
          id={id}
          type="date"
          label={label}
          value={(value as string) ?? ''}
          readOnly={readOnly}
          error={error}
          onCommit={(v) => onCommit(v || null)}
        />
      );
    case 'evidence_link': {
      const link = (value as { url: string; label: string } | null) ?? null;
      return (
        <BlurInput
          id={id}
          type="url"
          label={label}
          description={t('vendors.page.url')}
          value={link?.url ?? ''}
          readOnly={readOnly}
          error={error}
          onCommit={(v) => onCommit(v ? { url: v, label: link?.label ?? '' } : null)}
        />
      );
    }
    case 'table_rows': {
      const rows = (value as Record<string, string>[]) ?? [];
      return (
        <BlurInput
          id={id}
          multiline
          label={label}
          description={`${t('vendors.page.rowsHint')} (${columns.map((c) => c.label).join(' | ')})`}
          value={tableRowsText(rows, columns)}
          readOnly={readOnly}
          error={error}
          onCommit={(v) => onCommit(tableRowsFromText(v, columns))}
        />
      );
    }
    default:
      return (
        <BlurInput
          id={id}
          multiline={q.kind === 'long_text'}
          label={label}
          value={(value as string) ?? ''}
          readOnly={readOnly}
          error={error}
          onCommit={(v) => onCommit(v)}
        />
      );
  }
}

/** A text field that commits when left, only if its text changed. */
function BlurInput(props: {
  id?: string;
  label: React.ReactNode;
  description?: React.ReactNode;
  value: string;
  readOnly: boolean;
  error: string | undefined;
  onCommit: (v: string) => void;
  multiline?: boolean;
  type?: string;
}) {
  const [text, setText] = useState(props.value);
  const common = {
    id: props.id,
    label: props.label,
    description: props.description,
    value: text,
    readOnly: props.readOnly,
    error: props.error,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setText(e.currentTarget.value),
    onBlur: () => {
      if (text !== props.value) props.onCommit(text);
    },
  };
  return props.multiline ? <Textarea {...common} autosize minRows={2} /> : <TextInput {...common} type={props.type ?? 'text'} />;
}

/** The files attached as an answer's evidence: listed with their download, attached or removed while the questionnaire is open. */
function EvidenceFiles({ token, question: q, readOnly }: { token: string; question: VendorQuestion; readOnly: boolean }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<VendorFile[]>(q.files);
  const upload = useMutation({
    mutationFn: (file: File) => uploadVendorFile(token, q.key, file),
    onSuccess: (f) => setFiles((old) => [...old, f]),
  });
  const remove = useMutation({
    mutationFn: (id: string) => removeVendorFile(token, id),
    onSuccess: (_r, id) => setFiles((old) => old.filter((f) => f.id !== id)),
  });
  const fileProblem = fieldError(fieldsOf(upload.error), 'file') ?? fieldError(fieldsOf(upload.error), 'fileName');
  return (
    <Stack gap={4}>
      {files.length ? (
        <>
          <Text size="sm" fw={500}>
            {t('vendors.page.attached')}
          </Text>
          <Stack gap={2} component="ul" m={0} pl="md" data-testid="evidence-files">
            {files.map((f) => (
              <Group key={f.id} gap="xs" component="li">
                <Anchor href={vendorFileUrl(token, f.id)} size="sm" download>
                  {f.fileName}
                </Anchor>
                {readOnly ? null : (
                  <CloseButton
                    size="sm"
                    aria-label={t('vendors.page.removeFile', { name: f.fileName })}
                    onClick={() => remove.mutate(f.id)}
                  />
                )}
              </Group>
            ))}
          </Stack>
        </>
      ) : null}
      {readOnly ? null : (
        <FileInput
          label={t('vendors.page.attach')}
          description={t('vendors.page.attachHint')}
          placeholder={t('vendors.page.upload')}
          // The placeholder reads as the button's text: as dark as any other text (contrast).
          styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
          accept="application/pdf,.pdf,.docx,image/png,image/jpeg"
          value={null}
          onChange={(file) => file && upload.mutate(file)}
          error={fileProblem}
          maw={420}
        />
      )}
      {upload.error && !fileProblem ? <ErrorAlert error={upload.error} /> : null}
      {remove.error ? <ErrorAlert error={remove.error} /> : null}
    </Stack>
  );
}
