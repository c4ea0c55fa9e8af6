/** The risk register with its heat map (likelihood × impact) and a form to add a risk. */
import { Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { riskCreateSchema, riskLevel, type AssessmentBody, type RiskBody, type RiskLevel } from '../../../contracts/assessments.js';
import type { z } from 'zod';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { draftOn, errorOf, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
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
                <Table.Td
                  key={i}
                  style={{ background: LEVEL_COLOURS[riskLevel(l, i)], textAlign: 'center', minWidth: 36, color: '#000' }}
                  aria-label={t('assessments.risks.cell', { count, likelihood: l, impact: i })}
                >
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

interface RiskDraft {
  version: number;
  title: string;
  likelihood: number;
  impact: number;
  mitigation: string;
  owner: string;
  residualLikelihood: number | '';
  residualImpact: number | '';
}

const emptyRisk = { title: '', likelihood: 3, impact: 3, mitigation: '', owner: '', residualLikelihood: '', residualImpact: '' } as const;
type RiskCreate = z.output<typeof riskCreateSchema>;
/** The scores of a risk, 1 to 5: the residual ones may be left blank (none). */
const SCALES = [
  { key: 'likelihood', blank: false },
  { key: 'impact', blank: false },
  { key: 'residualLikelihood', blank: true },
  { key: 'residualImpact', blank: true },
] as const;

/** The new risk: a residual score left blank is none. */
const riskDraft = draftOn(riskCreateSchema, ({ residualLikelihood, residualImpact, ...risk }: RiskDraft) => ({
  ...risk,
  residualLikelihood: residualLikelihood === '' ? null : residualLikelihood,
  residualImpact: residualImpact === '' ? null : residualImpact,
}));

export function RiskRegister({ assessment, canEdit }: { assessment: AssessmentBody; canEdit: boolean }) {
  const { t } = useTranslation();
  const risks = assessment.revision.risks;
  const form = useContractForm(riskDraft, { defaultValues: { ...emptyRisk, version: assessment.version } });
  const scales = form.watch();
  const set = (patch: Partial<RiskDraft>) => patchValues(form, patch);
  const { errors } = form.formState;
  // Sent with the version of the assessment last loaded (a save since then is already in it).
  const add = useAssessmentMutation(assessment.id, (body: RiskCreate, version) =>
    api<AssessmentBody>(`/assessments/${assessment.id}/risks`, { method: 'POST', body: { ...body, version } }),
  );
  const remove = useAssessmentMutation(assessment.id, (riskId: string, version) =>
    api<AssessmentBody>(`/assessments/${assessment.id}/risks/${riskId}`, { method: 'DELETE', body: { version } }),
  );
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
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => remove.mutate(r.id)}
                        aria-label={`${t('assessments.risks.remove')}: ${r.title}`}
                      >
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
            noValidate
            onSubmit={form.handleSubmit((body) =>
              add.mutate(body, {
                onSuccess: (saved) => form.reset({ ...form.getValues(), title: '', version: saved.version }),
                onError: (error) => setServerErrors(form, error),
              }),
            )}
          >
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t('assessments.risks.addTitle')}
              </Title>
              <TextInput
                label={t('assessments.risks.risk')}
                {...form.register('title')}
                required
                maxLength={300}
                error={errorOf(errors, 'title')}
              />
              <Group>
                {SCALES.map(({ key, blank }) => (
                  <NumberInput
                    key={key}
                    label={t(`assessments.risks.${key}`)}
                    min={1}
                    max={5}
                    value={scales[key]}
                    onChange={(v) => set({ [key]: blank ? (typeof v === 'number' ? v : '') : Number(v) || 1 })}
                    error={errorOf(errors, key)}
                  />
                ))}
              </Group>
              <Textarea
                label={t('assessments.risks.mitigation')}
                {...form.register('mitigation')}
                maxLength={5000}
                error={errorOf(errors, 'mitigation')}
              />
              <TextInput
                label={t('assessments.risks.owner')}
                {...form.register('owner')}
                maxLength={200}
                error={errorOf(errors, 'owner')}
              />
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
