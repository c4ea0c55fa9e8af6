/** Settings panel (site admins): the rules decisions on apps follow (approved PIA required, expired agreements, review interval). */
import { Button, Checkbox, Group, NumberInput, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecisionRules as Rules, InstitutionBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { api, fieldError } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';

export function DecisionRules({ institution }: { institution: InstitutionBody }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rules, setRules] = useState<Rules>(institution.decisionRules);
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (decisionRules: Rules) =>
      api<InstitutionBody>(`/institutions/${institution.id}`, { method: 'PATCH', body: { decisionRules } }),
    onMutate: () => setMessage(null),
    onSuccess: (saved) => {
      queryClient.setQueryData(['institutions', saved.id], saved);
      setRules(saved.decisionRules);
      setMessage(t('decisionRules.saved'));
    },
  });
  const fields = fieldsOf(save.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(rules);
  };

  return (
    <Paper component="section" withBorder p="md" aria-labelledby="decision-rules-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="decision-rules-title">
            {t('decisionRules.title')}
          </Title>
          <Text size="sm">{t('decisionRules.intro')}</Text>
          <Checkbox
            label={t('decisionRules.requireApprovedPia')}
            description={t('decisionRules.requireApprovedPiaHint')}
            checked={rules.requireApprovedPia}
            onChange={(e) => setRules({ ...rules, requireApprovedPia: e.currentTarget.checked })}
            error={fieldError(fields, 'decisionRules.requireApprovedPia')}
          />
          <Radio.Group
            label={t('decisionRules.expiredAgreement')}
            value={rules.expiredAgreement}
            onChange={(v) => setRules({ ...rules, expiredAgreement: v as Rules['expiredAgreement'] })}
            error={fieldError(fields, 'decisionRules.expiredAgreement')}
          >
            <Stack gap="xs" mt="xs">
              {(['needs_review', 'keep'] as const).map((choice) => (
                <Radio key={choice} value={choice} label={t(`decisionRules.expiredAgreementChoices.${choice}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <NumberInput
            label={t('decisionRules.reviewIntervalMonths')}
            description={t('decisionRules.reviewIntervalHint')}
            min={1}
            max={60}
            step={1}
            allowDecimal={false}
            maw={320}
            value={rules.reviewIntervalMonths}
            onChange={(v) => setRules({ ...rules, reviewIntervalMonths: typeof v === 'number' ? v : Number(v) })}
            error={fieldError(fields, 'decisionRules.reviewIntervalMonths')}
          />
          <Feedback success={message} error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('decisionRules.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
