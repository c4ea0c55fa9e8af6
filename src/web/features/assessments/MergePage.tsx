/** `/assessments/$assessmentId/merge`: the three-way diff of a master update; take or keep each change. */
import { Badge, Button, Group, Paper, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentBody, MergeChangeBody, QuestionKind, QuestionOptions } from '../../../contracts/assessments.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { assessmentQuery, mergeQuery, useAssessmentMutation } from './queries.js';
import { assessmentTitle, BankText } from './BankText.js';
import { describeAnswer } from './describe-answer.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';

const route = getRouteApi('/_app/assessments/$assessmentId/merge');
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : JSON.stringify(v));

export function MergePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { assessmentId } = route.useParams();
  const assessment = useQuery(assessmentQuery(assessmentId));
  const preview = useQuery(mergeQuery(assessmentId));
  const [choices, setChoices] = useState<Record<string, 'take' | 'keep'>>({});
  const apply = useAssessmentMutation(assessmentId, () =>
    api<AssessmentBody>(`/assessments/${assessmentId}/merge`, {
      method: 'POST',
      body: {
        version: assessment.data!.version,
        toVersionId: preview.data!.toVersion.id,
        decisions: preview.data!.changes.map((c) => ({ key: c.key, action: choices[c.key] ?? c.suggested })),
      },
    }),
  );
  if (assessment.isPending || preview.isPending) return <Loading />;
  if (assessment.isError) return <ErrorAlert error={assessment.error} />;
  if (preview.isError) return <ErrorAlert error={preview.error} />;
  const p = preview.data;
  return (
    <Stack>
      <AnchorLink to="/assessments/$assessmentId" params={{ assessmentId }} size="sm">
        ← {assessmentTitle(assessment.data, t)}
      </AnchorLink>
      <Title order={1}>{t('assessments.merge.title', { from: p.fromVersion?.number ?? '—', to: p.toVersion.number })}</Title>
      <Text>
        <strong>{t('assessments.merge.changeLog')}:</strong> <BankText englishOnly>{p.toVersion.changeLog}</BankText>
      </Text>
      {p.changes.length === 0 ? <Text>{t('assessments.merge.noChanges')}</Text> : null}
      <WriteArea>
        <Stack>
          {p.changes.map((c) => (
            <Change key={c.key} change={c} value={choices[c.key] ?? c.suggested} onChange={(v) => setChoices((s) => ({ ...s, [c.key]: v }))} />
          ))}
          <Feedback error={apply.error} />
          <Group>
            <Button onClick={() => apply.mutate(undefined, { onSuccess: () => void navigate({ to: '/assessments/$assessmentId', params: { assessmentId } }) })} loading={apply.isPending}>
              {t('assessments.merge.apply')}
            </Button>
          </Group>
        </Stack>
      </WriteArea>
    </Stack>
  );
}

function Change({ change: c, value, onChange }: { change: MergeChangeBody; value: 'take' | 'keep'; onChange: (v: 'take' | 'keep') => void }) {
  const { t } = useTranslation();
  const def = (x: unknown) => (x && typeof x === 'object' && 'prompt' in x ? String((x as { prompt: string }).prompt) : x);
  // Answers in words, as the question reads them (choices by their labels, yes / no in the reader's language).
  const shape = [c.definition.theirs, c.definition.ours, c.definition.base].find((d): d is { kind: QuestionKind; options: QuestionOptions } => !!d && typeof d === 'object' && 'kind' in d);
  const words = (v: unknown) => (v === null || v === undefined || !shape ? v : describeAnswer(shape, v, t));
  const rows: [string, { base: unknown; theirs: unknown; ours: unknown; theirsChanged: boolean }][] = [];
  if (c.definition.theirsChanged) rows.push([t('assessments.merge.wording'), { ...c.definition, base: def(c.definition.base), theirs: def(c.definition.theirs), ours: def(c.definition.ours) }]);
  if (c.answer.theirsChanged || c.change === 'added') rows.push([t('assessments.merge.answerFacet'), { ...c.answer, base: words(c.answer.base), theirs: words(c.answer.theirs), ours: words(c.answer.ours) }]);
  return (
    <Paper withBorder p="md" component="section" aria-label={c.prompt} data-merge-key={c.key}>
      <Stack gap="xs">
        <Group gap="xs">
          <Badge variant="light">{t(`assessments.merge.${c.change}`)}</Badge>
          {c.conflict ? <Badge color="red">{t('assessments.merge.conflict')}</Badge> : null}
          <Text size="sm" c="dimmed">
            {c.sectionTitle}
          </Text>
        </Group>
        <Text fw={600}>{c.prompt}</Text>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th>{t('assessments.merge.base')}</Table.Th>
              <Table.Th>{t('assessments.merge.theirs')}</Table.Th>
              <Table.Th>{t('assessments.merge.ours')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(([label, f]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row">{label}</Table.Th>
                <Table.Td>{show(f.base)}</Table.Td>
                <Table.Td>{show(f.theirs)}</Table.Td>
                <Table.Td>{show(f.ours)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Radio.Group value={value} onChange={(v) => onChange(v as 'take' | 'keep')} name={`merge-${c.key}`} aria-label={c.prompt}>
          <Group>
            <Radio value="take" label={t('assessments.merge.take')} />
            <Radio value="keep" label={t('assessments.merge.keep')} />
          </Group>
        </Radio.Group>
      </Stack>
    </Paper>
  );
}
