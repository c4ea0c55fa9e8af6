/** Submit, return, decide and reopen, with the sign-off records of the revision. */
import { Alert, Button, Group, Paper, Radio, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentBody } from '../../../contracts/assessments.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { useAssessmentMutation } from './queries.js';

export function WorkflowPanel({ assessment }: { assessment: AssessmentBody }) {
  const { t } = useTranslation();
  const format = useFormat();
  const a = assessment;
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<'approved' | 'approved_with_conditions' | 'rejected'>('approved');
  const [conditions, setConditions] = useState('');
  const [nextReviewOn, setNextReviewOn] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const call = (path: string, body: Record<string, unknown>) => api<AssessmentBody>(`/assessments/${a.id}/${path}`, { method: 'POST', body: { version: a.version, ...body } });
  const ok = () => {
    setComment('');
    setDone(t('assessments.workflow.done'));
  };
  const submit = useAssessmentMutation(a.id, () => call('submit', { comment }));
  const ret = useAssessmentMutation(a.id, () => call('return', { comment }));
  const decide = useAssessmentMutation(a.id, () => call('decide', { decision, comment, conditions, nextReviewOn: nextReviewOn || null }));
  const reopen = useAssessmentMutation(a.id, () => call('reopen', { comment }));
  const error = submit.error ?? ret.error ?? decide.error ?? reopen.error;
  const anyAction = a.abilities.submit || a.abilities.decide || a.abilities.reopen || a.abilities.returnForChanges;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="workflow-heading">
      <Stack>
        <Title order={2} size="h4" id="workflow-heading">
          {t('assessments.workflow.title')}
        </Title>
        {a.revision.isFrozen ? <Alert color="gray">{t('assessments.workflow.frozen')}</Alert> : null}
        {a.status === 'in_review' ? <Alert color="blue">{t('assessments.workflow.inReview')}</Alert> : null}
        {anyAction ? <Textarea label={t('assessments.workflow.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={5000} /> : null}
        {a.abilities.decide ? (
          <Stack gap="xs">
            <Radio.Group label={t('assessments.workflow.decision')} value={decision} onChange={(v) => setDecision(v as typeof decision)} name="decision">
              <Group mt={4}>
                <Radio value="approved" label={t('assessments.workflow.approve')} />
                <Radio value="approved_with_conditions" label={t('assessments.workflow.approveWithConditions')} />
                <Radio value="rejected" label={t('assessments.workflow.reject')} />
              </Group>
            </Radio.Group>
            {decision === 'approved_with_conditions' ? <Textarea label={t('assessments.workflow.conditions')} value={conditions} onChange={(e) => setConditions(e.currentTarget.value)} required maxLength={5000} /> : null}
            <TextInput type="date" label={t('assessments.workflow.nextReview')} value={nextReviewOn} onChange={(e) => setNextReviewOn(e.currentTarget.value)} />
          </Stack>
        ) : null}
        <Feedback error={error} success={done} />
        <Group>
          {a.abilities.submit ? (
            <Button onClick={() => submit.mutate(undefined, { onSuccess: ok })} loading={submit.isPending}>
              {t('assessments.workflow.submit')}
            </Button>
          ) : null}
          {a.abilities.decide ? (
            <Button color="teal.9" onClick={() => decide.mutate(undefined, { onSuccess: ok })} loading={decide.isPending}>
              {t('assessments.workflow.decide')}
            </Button>
          ) : null}
          {a.abilities.returnForChanges ? (
            <Button variant="default" onClick={() => ret.mutate(undefined, { onSuccess: ok })} loading={ret.isPending}>
              {t('assessments.workflow.return')}
            </Button>
          ) : null}
          {a.abilities.reopen ? (
            <Button variant="default" onClick={() => reopen.mutate(undefined, { onSuccess: ok })} loading={reopen.isPending}>
              {t('assessments.workflow.reopen')}
            </Button>
          ) : null}
        </Group>
        <Title order={3} size="h5">
          {t('assessments.signoffs.title')}
        </Title>
        {a.revision.signoffs.length === 0 ? (
          <Text c="dimmed">{t('assessments.signoffs.none')}</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('assessments.signoffs.when')}</Table.Th>
                <Table.Th>{t('assessments.signoffs.who')}</Table.Th>
                <Table.Th>{t('assessments.signoffs.role')}</Table.Th>
                <Table.Th>{t('assessments.signoffs.decision')}</Table.Th>
                <Table.Th>{t('assessments.signoffs.comment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.revision.signoffs.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{format.dateTime(s.at)}</Table.Td>
                  <Table.Td>{s.signerName}</Table.Td>
                  <Table.Td>{s.roleKey ? t(`assessments.signoffRole.${s.roleKey}`) : s.role}</Table.Td>
                  <Table.Td>{t(`assessments.signoffDecision.${s.decision}`)}</Table.Td>
                  <Table.Td>{s.comment || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
