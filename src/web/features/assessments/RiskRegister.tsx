/** The risk register with its heat map (likelihood × impact) and a form to add a risk. */
import { Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { riskLevel, type AssessmentBody, type RiskBody, type RiskLevel } from '../../../contracts/assessments.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { useAssessmentMutation } from './queries.js';

const LEVEL_COLOURS: Record<RiskLevel, string> = { low: '#d3f9d8', medium: '#fff3bf', high: '#ffd8a8', critical: '#ffc9c9' };

export function HeatMap({ risks }: { risks: RiskBody[] }) {
  const { t } = useTranslation();
  const scale = [5, 4, 3, 2, 1];
  return (
    <Table withTableBorder withColumnBorders aria-label={t('assessments.risks.heatMap')} style={{ width: 'auto' }}>
      <Table.Caption>{t('assessments.risks.heatMap')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{`${t('assessments.risks.likelihood')} \\ ${t('assessments.risks.impact')}`}</Table.Th>
          {[1, 2, 3, 4, 5].map((i) => (
            <Table.Th key={i} scope="col">
              {i}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {scale.map((l) => (
          <Table.Tr key={l}>
            <Table.Th scope="row">{l}</Table.Th>
            {[1, 2, 3, 4, 5].map((i) => {
              const count = risks.filter((r) => r.likelihood === l && r.impact === i).length;
              return (
                <Table.Td key={i} style={{ background: LEVEL_COLOURS[riskLevel(l, i)], textAlign: 'center', minWidth: 36, color: '#000' }} aria-label={t('assessments.risks.cell', { count, likelihood: l, impact: i })}>
                  {count || ''}
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function RiskRegister({ assessment, canEdit }: { assessment: AssessmentBody; canEdit: boolean }) {
  const { t } = useTranslation();
  const risks = assessment.revision.risks;
  const [title, setTitle] = useState('');
  const [likelihood, setLikelihood] = useState<number>(3);
  const [impact, setImpact] = useState<number>(3);
  const [mitigation, setMitigation] = useState('');
  const [owner, setOwner] = useState('');
  const [residualLikelihood, setRL] = useState<number | ''>('');
  const [residualImpact, setRI] = useState<number | ''>('');
  const add = useAssessmentMutation(assessment.id, () =>
    api<AssessmentBody>(`/assessments/${assessment.id}/risks`, {
      method: 'POST',
      body: { version: assessment.version, title, likelihood, impact, mitigation, owner, residualLikelihood: residualLikelihood || null, residualImpact: residualImpact || null },
    }),
  );
  const remove = useAssessmentMutation(assessment.id, (riskId: string, version) => api<AssessmentBody>(`/assessments/${assessment.id}/risks/${riskId}`, { method: 'DELETE', body: { version } }));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="risks-heading">
      <Stack>
        <Title order={2} size="h4" id="risks-heading">
          {t('assessments.risks.title')}
        </Title>
        <HeatMap risks={risks} />
        {risks.length === 0 ? (
          <Text c="dimmed">{t('assessments.risks.none')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('assessments.risks.risk')}</Table.Th>
                <Table.Th>{t('assessments.risks.inherent')}</Table.Th>
                <Table.Th>{t('assessments.risks.mitigation')}</Table.Th>
                <Table.Th>{t('assessments.risks.owner')}</Table.Th>
                <Table.Th>{t('assessments.risks.residual')}</Table.Th>
                {canEdit ? <Table.Th /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {risks.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.title}</Table.Td>
                  <Table.Td>{`${r.likelihood} × ${r.impact} · ${t(`assessments.level.${r.inherentLevel}`)}`}</Table.Td>
                  <Table.Td>{r.mitigation || '—'}</Table.Td>
                  <Table.Td>{r.owner || '—'}</Table.Td>
                  <Table.Td>{r.residualLevel ? t(`assessments.level.${r.residualLevel}`) : '—'}</Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(r.id)} aria-label={`${t('assessments.risks.remove')}: ${r.title}`}>
                        {t('common.remove')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canEdit ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate(undefined, { onSuccess: () => setTitle('') });
            }}
          >
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t('assessments.risks.addTitle')}
              </Title>
              <TextInput label={t('assessments.risks.risk')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={300} />
              <Group>
                <NumberInput label={t('assessments.risks.likelihood')} min={1} max={5} value={likelihood} onChange={(v) => setLikelihood(Number(v) || 1)} />
                <NumberInput label={t('assessments.risks.impact')} min={1} max={5} value={impact} onChange={(v) => setImpact(Number(v) || 1)} />
                <NumberInput label={t('assessments.risks.residualLikelihood')} min={1} max={5} value={residualLikelihood} onChange={(v) => setRL(typeof v === 'number' ? v : '')} />
                <NumberInput label={t('assessments.risks.residualImpact')} min={1} max={5} value={residualImpact} onChange={(v) => setRI(typeof v === 'number' ? v : '')} />
              </Group>
              <Textarea label={t('assessments.risks.mitigation')} value={mitigation} onChange={(e) => setMitigation(e.currentTarget.value)} maxLength={5000} />
              <TextInput label={t('assessments.risks.owner')} value={owner} onChange={(e) => setOwner(e.currentTarget.value)} maxLength={200} />
              <Feedback error={add.error ?? remove.error} />
              <Group>
                <Button type="submit" loading={add.isPending}>
                  {t('assessments.risks.add')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}
