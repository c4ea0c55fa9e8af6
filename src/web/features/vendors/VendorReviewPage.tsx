/**
 * `/vendor-questionnaires/$questionnaireId`: the reviewer reads each of the vendor's answers with its
 * evidence beside the bank's current pre-answer, accepts or rejects each with a note, and publishes the
 * accepted ones (into the bank, or the institution's own PIA of the app); or revokes the link.
 */
import { Anchor, Badge, Button, Group, Paper, Radio, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankQuestionBody } from '../../../contracts/assessments.js';
import type { VendorQuestionnaire } from '../../../contracts/vendors.js';
import { ErrorAlert, Feedback, useOutcome } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading, NotPermitted } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { bankTemplateQuery, bankVersionQuery } from '../assessments/queries.js';
import { reviewerFileUrl, stateOf, valueText, vendorQuestionnaireQuery, vendorQuestionnairesQuery } from './api.js';
import { TemplateTitle, useVendorScope } from './VendorQuestionnairesPage.js';

type Verdict = { review: 'accepted' | 'rejected' | 'pending'; note: string };

export function VendorReviewPage() {
  const { questionnaireId } = useParams({ strict: false }) as { questionnaireId: string };
  const scope = useVendorScope();
  const q = useQuery({ ...vendorQuestionnaireQuery(questionnaireId), enabled: scope !== null });
  if (!scope) return <NotPermitted />;
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  return <Review q={q.data} />;
}

function Review({ q }: { q: VendorQuestionnaire }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const client = useQueryClient();
  const outcome = useOutcome();
  const template = useQuery(bankTemplateQuery(q.templateId));
  const latestId = template.data?.latestPublished?.id;
  const bank = useQuery({ ...bankVersionQuery(latestId ?? ''), enabled: !!latestId });
  const bankQuestions = new Map<string, BankQuestionBody>(
    (bank.data?.sections ?? []).flatMap((s) => s.questions.map((x) => [x.key, x] as const)),
  );
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>(() =>
    Object.fromEntries(q.answers.map((a) => [a.questionKey, { review: a.review, note: a.reviewNote }])),
  );
  const reviewing = q.status === 'submitted';
  const anyVerdict = Object.values(verdicts).some((v) => v.review !== 'pending');
  const refresh = (fresh: VendorQuestionnaire) => {
    client.setQueryData(vendorQuestionnaireQuery(q.id).queryKey, fresh);
    void client.invalidateQueries({ queryKey: vendorQuestionnairesQuery.queryKey });
  };
  const review = useMutation({
    mutationFn: () => api<VendorQuestionnaire>(`/vendor-questionnaires/${q.id}/review`, { method: 'POST', body: reviewBody() }),
    onSuccess: (fresh) => {
      refresh(fresh);
      outcome.onSaved(t('vendors.review.reviewSaved'));
    },
    onError: outcome.onError,
  });
  const reviewBody = () => ({
    reviews: Object.entries(verdicts)
      .filter(([, v]) => v.review !== 'pending')
      .map(([questionKey, v]) => ({ questionKey, review: v.review, note: v.note })),
  });
  // Publishing saves the verdicts on the page first, so what is published is what the page shows.
  const publish = useMutation({
    mutationFn: async () => {
      if (anyVerdict) await api<VendorQuestionnaire>(`/vendor-questionnaires/${q.id}/review`, { method: 'POST', body: reviewBody() });
      return api<VendorQuestionnaire>(`/vendor-questionnaires/${q.id}/publish`, { method: 'POST' });
    },
    onSuccess: (fresh) => {
      refresh(fresh);
      void client.invalidateQueries({ queryKey: ['bank'] });
      outcome.onSaved(t('vendors.review.published'));
    },
    onError: outcome.onError,
  });
  const revoke = useMutation({
    mutationFn: () => api<VendorQuestionnaire>(`/vendor-questionnaires/${q.id}/revoke`, { method: 'POST' }),
    onSuccess: (fresh) => {
      refresh(fresh);
      outcome.onSaved(t('vendors.review.revoked'));
    },
    onError: outcome.onError,
  });

  return (
    <Stack gap="lg">
      <AnchorLink to="/vendor-questionnaires" size="sm">
        {t('vendors.review.back')}
      </AnchorLink>
      <Title order={1}>{t('vendors.review.title', { product: q.productName })}</Title>
      <Stack gap={4}>
        {q.vendorName ? <Text fw={500}>{q.vendorName}</Text> : null}
        <Text>
          {t('vendors.review.templateLabel')} <TemplateTitle english={q.templateTitle} french={q.templateTitleFr} />
          {t('vendors.review.templateVersion', { number: q.templateVersionNumber })}
        </Text>
        <Text data-testid="vendor-state">{t('vendors.review.state', { state: t(`vendors.state.${stateOf(q)}`) })}</Text>
        {q.linkServes ? <Text>{t('vendors.review.expires', { date: fmt.date(q.expiresAt) })}</Text> : null}
        {q.submittedAt ? <Text>{t('vendors.review.submittedOn', { date: fmt.date(q.submittedAt) })}</Text> : null}
        {q.publishedAt ? <Text>{t('vendors.review.publishedOn', { date: fmt.date(q.publishedAt) })}</Text> : null}
        {q.awaitsContact ? (
          <Text size="sm" c="dimmed">
            {t('vendors.review.awaitsContact')}
          </Text>
        ) : null}
      </Stack>
      <Feedback error={outcome.error} success={outcome.success} />
      {q.status === 'open' ? <Text>{t('vendors.review.notSubmitted')}</Text> : null}
      {q.answers.length === 0 ? <Text c="dimmed">{t('vendors.review.noAnswers')}</Text> : null}
      {q.answers.map((a) => {
        const bq = bankQuestions.get(a.questionKey);
        const choices = bq?.options.choices;
        const v = verdicts[a.questionKey] ?? { review: 'pending', note: '' };
        const set = (patch: Partial<Verdict>) => setVerdicts((old) => ({ ...old, [a.questionKey]: { ...v, ...patch } }));
        const headingId = `vq-${a.questionKey.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        return (
          <Paper key={a.questionKey} withBorder p="md" component="section" aria-labelledby={headingId} data-vendor-answer={a.questionKey}>
            <Stack gap="sm">
              <Title order={2} size="h4" id={headingId}>
                {a.prompt}
              </Title>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    {t('vendors.review.vendorAnswer')}
                  </Text>
                  <Text data-testid="vendor-value">{valueText(a.value, choices)}</Text>
                  <Evidence evidence={a.evidence} />
                  {a.files.length ? (
                    <Stack gap={2}>
                      <Text size="xs" fw={600}>
                        {t('vendors.review.attachments')}
                      </Text>
                      <Stack gap={2} component="ul" m={0} pl="md" data-testid="evidence-files">
                        {a.files.map((f) => (
                          <li key={f.id}>
                            <Anchor href={reviewerFileUrl(q.id, f.id)} size="sm" download>
                              {f.fileName}
                            </Anchor>
                          </li>
                        ))}
                      </Stack>
                    </Stack>
                  ) : null}
                </Stack>
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    {t('vendors.review.bankAnswer')}
                  </Text>
                  {bq && bq.preAnswer !== null ? (
                    <>
                      <Text data-testid="bank-value">{valueText(bq.preAnswer, choices)}</Text>
                      {bq.preAnswerEvidence ? <Evidence evidence={bq.preAnswerEvidence} /> : null}
                    </>
                  ) : (
                    <Text c="dimmed">{t('vendors.review.noBankAnswer')}</Text>
                  )}
                </Stack>
              </SimpleGrid>
              {reviewing ? (
                <Group align="flex-end">
                  <Radio.Group
                    label={t('vendors.review.verdict')}
                    value={v.review}
                    onChange={(r) => set({ review: r as Verdict['review'] })}
                    name={`${headingId}-verdict`}
                  >
                    <Group mt={4}>
                      <Radio value="accepted" label={t('vendors.review.accept')} />
                      <Radio value="rejected" label={t('vendors.review.reject')} />
                    </Group>
                  </Radio.Group>
                  <Textarea
                    label={t('vendors.review.note')}
                    value={v.note}
                    onChange={(e) => set({ note: e.currentTarget.value })}
                    autosize
                    minRows={1}
                    style={{ flex: 1 }}
                  />
                </Group>
              ) : (
                <Group gap="xs">
                  <Badge variant="light" color={a.review === 'accepted' ? 'green' : a.review === 'rejected' ? 'red' : 'gray'}>
                    {a.review === 'accepted'
                      ? t('vendors.review.accept')
                      : a.review === 'rejected'
                        ? t('vendors.review.reject')
                        : t('vendors.review.pending')}
                  </Badge>
                  {a.reviewNote ? <Text size="sm">{a.reviewNote}</Text> : null}
                </Group>
              )}
            </Stack>
          </Paper>
        );
      })}
      <Group>
        {reviewing ? (
          <>
            <Button variant="default" onClick={() => review.mutate()} loading={review.isPending} disabled={!anyVerdict}>
              {t('vendors.review.saveReview')}
            </Button>
            <Button onClick={() => publish.mutate()} loading={publish.isPending}>
              {t(q.scope === 'bank' ? 'vendors.review.publishBank' : 'vendors.review.publishInstitution')}
            </Button>
          </>
        ) : null}
        {q.status === 'open' || q.status === 'submitted' ? (
          <Button variant="subtle" color="red" onClick={() => revoke.mutate()} loading={revoke.isPending}>
            {t('vendors.review.revoke')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}

function Evidence({ evidence }: { evidence: { url: string | null; quote: string; seenOn: string | null } }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!evidence.url && !evidence.quote && !evidence.seenOn) return null;
  return (
    <Stack gap={2} data-testid="evidence">
      <Text size="xs" fw={600}>
        {t('vendors.review.evidence')}
      </Text>
      {evidence.url ? (
        <Anchor href={evidence.url} size="sm" target="_blank" rel="noopener noreferrer" style={{ wordBreak: 'break-all' }}>
          {evidence.url}
        </Anchor>
      ) : null}
      {evidence.quote ? (
        <Text size="sm" component="blockquote" fs="italic" m={0}>
          “{evidence.quote}”
        </Text>
      ) : null}
      {evidence.seenOn ? (
        <Text size="xs" c="dimmed">
          {t('vendors.review.seenOn', { date: fmt.date(evidence.seenOn) })}
        </Text>
      ) : null}
    </Stack>
  );
}
