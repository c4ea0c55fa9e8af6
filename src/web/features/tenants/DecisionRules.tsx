/** Settings panel (site admins): the rules decisions on apps follow (approved PIA required, expired agreements, review interval). */
import { Button, Checkbox, Group, NumberInput, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { institutionUpdateSchema, type DecisionRules as Rules, type InstitutionBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';

/** The part of an institution's update this panel edits. */
const decisionRulesForm = institutionUpdateSchema.pick({ decisionRules: true }).required();

export function DecisionRules({ institution }: { institution: InstitutionBody }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useContractForm(decisionRulesForm, { defaultValues: { decisionRules: institution.decisionRules } });
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (decisionRules: Rules) =>
      api<InstitutionBody>(`/institutions/${institution.id}`, { method: 'PATCH', body: { decisionRules } }),
    onMutate: () => setMessage(null),
    onSuccess: (saved) => {
      queryClient.setQueryData(['institutions', saved.id], saved);
      form.reset({ decisionRules: saved.decisionRules });
      setMessage(t('decisionRules.saved'));
    },
    onError: (error) => setServerErrors(form, error),
  });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(({ decisionRules }) => save.mutate(decisionRules));

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
            {...form.register('decisionRules.requireApprovedPia')}
            error={errorOf(errors, 'decisionRules.requireApprovedPia')}
          />
          <Controller
            control={form.control}
            name="decisionRules.expiredAgreement"
            render={({ field }) => (
              <Radio.Group
                label={t('decisionRules.expiredAgreement')}
                value={field.value}
                onChange={(v) => field.onChange(v as Rules['expiredAgreement'])}
                error={errorOf(errors, 'decisionRules.expiredAgreement')}
              >
                <Stack gap="xs" mt="xs">
                  {(['needs_review', 'keep'] as const).map((choice, i) => (
                    <Radio
                      key={choice}
                      ref={i === 0 ? field.ref : undefined}
                      value={choice}
                      label={t(`decisionRules.expiredAgreementChoices.${choice}`)}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
          />
          {(['reviewIntervalMonths', 'evidenceReviewMonths'] as const).map((rule) => (
            <Controller
              key={rule}
              control={form.control}
              name={`decisionRules.${rule}`}
              render={({ field }) => (
                <NumberInput
                  label={t(`decisionRules.${rule}`)}
                  description={t(rule === 'reviewIntervalMonths' ? 'decisionRules.reviewIntervalHint' : 'decisionRules.evidenceReviewHint')}
                  min={1}
                  max={60}
                  step={1}
                  allowDecimal={false}
                  maw={320}
                  ref={field.ref}
                  value={field.value}
                  onChange={(v) => field.onChange(typeof v === 'number' ? v : Number(v))}
                  onBlur={field.onBlur}
                  error={errorOf(errors, `decisionRules.${rule}`)}
                />
              )}
            />
          ))}
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
