/** `/privacy-policy`: the operator publishes versions of Vetted's privacy policy and follows their email delivery. */
import { Alert, Badge, Button, Group, Radio, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  privacyPolicyPublishSchema,
  type PrivacyPolicyDeliveryBody,
  type PrivacyPolicyPublicBody,
  type PrivacyPolicyPublishInput,
  type PrivacyPolicyVersionBody,
} from '../../../contracts/privacy-policy.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { fieldErrorsOf } from '../../lib/errors.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useFormat } from '../../lib/format.js';

const EMPTY = { kind: 'significant' as 'significant' | 'minor', effectiveOn: '', bodyEn: '', bodyFr: '', summaryEn: '', summaryFr: '' };

export function PrivacyPolicyAdminPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const client = useQueryClient();
  const form = useContractForm(privacyPolicyPublishSchema, { defaultValues: EMPTY });
  const [shown, setShown] = useState<number | null>(null);
  const versions = useQuery({ queryKey: ['privacy-policy'], queryFn: () => api<PrivacyPolicyPublicBody>('/public/privacy-policy') });
  const publish = useMutation({
    mutationFn: (body: PrivacyPolicyPublishInput) =>
      api<{ version: PrivacyPolicyVersionBody; notified: number }>('/privacy-policy/versions', { method: 'POST', body }),
    onSuccess: () => {
      form.reset(EMPTY);
      void client.invalidateQueries({ queryKey: ['privacy-policy'] });
    },
    onError: (error) => setServerErrors(form, error),
  });
  const { errors } = form.formState;
  const significant = form.watch('kind') === 'significant';
  const onSubmit = form.handleSubmit((body) => publish.mutate(body));

  return (
    <Stack gap="lg">
      <Title order={1}>{t('privacyPolicy.admin.title')}</Title>
      <Text>{t('privacyPolicy.admin.intro')}</Text>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={820}>
          <Controller
            control={form.control}
            name="kind"
            render={({ field }) => (
              <Radio.Group
                label={t('privacyPolicy.admin.kind')}
                value={field.value}
                onChange={(v) => field.onChange(v as 'significant' | 'minor')}
                error={errorOf(errors, 'kind')}
              >
                <Stack gap={4} mt={4}>
                  <Radio value="significant" label={t('privacyPolicy.admin.significant')} />
                  <Radio value="minor" label={t('privacyPolicy.admin.minor')} />
                </Stack>
              </Radio.Group>
            )}
          />
          <TextInput
            label={t('privacyPolicy.admin.effectiveOn')}
            {...form.register('effectiveOn')}
            error={errorOf(errors, 'effectiveOn')}
            required
            maw={240}
          />
          <Text size="sm" c="dimmed" id="markdown-hint">
            {t('privacyPolicy.admin.markdownHint')}
          </Text>
          <Textarea
            label={t('privacyPolicy.admin.bodyEn')}
            {...form.register('bodyEn')}
            error={errorOf(errors, 'bodyEn')}
            required
            autosize
            minRows={6}
            aria-describedby="markdown-hint"
          />
          <Textarea
            label={t('privacyPolicy.admin.bodyFr')}
            {...form.register('bodyFr')}
            error={errorOf(errors, 'bodyFr')}
            required
            autosize
            minRows={6}
            aria-describedby="markdown-hint"
            lang="fr-CA"
          />
          <Textarea
            label={t('privacyPolicy.admin.summaryEn')}
            {...form.register('summaryEn')}
            error={errorOf(errors, 'summaryEn')}
            required={significant}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('privacyPolicy.admin.summaryFr')}
            {...form.register('summaryFr')}
            error={errorOf(errors, 'summaryFr')}
            required={significant}
            autosize
            minRows={2}
            lang="fr-CA"
          />
          {publish.error && !fieldErrorsOf(publish.error) ? <ErrorAlert error={publish.error} /> : null}
          {publish.data ? (
            <Alert color="green" role="status">
              {t('privacyPolicy.admin.published', { number: publish.data.version.number, count: publish.data.notified })}
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={publish.isPending}>
              {t('privacyPolicy.admin.publish')}
            </Button>
          </Group>
        </Stack>
      </form>

      <section aria-labelledby="versions-title">
        <Title order={2} size="h3" id="versions-title">
          {t('privacyPolicy.admin.versions')}
        </Title>
        {versions.isPending ? (
          <Loading />
        ) : versions.error ? (
          <ErrorAlert error={versions.error} />
        ) : (
          <Stack gap="xs" mt="sm">
            {versions.data.history.map((v) => (
              <Group key={v.id} gap="sm">
                <Text>{t('privacyPolicy.page.historyVersion', { number: v.number, date: fmt.date(v.effectiveOn) })}</Text>
                <Badge variant="light" color={v.kind === 'significant' ? 'orange' : 'gray'}>
                  {t(v.kind === 'significant' ? 'privacyPolicy.page.significant' : 'privacyPolicy.page.minor')}
                </Badge>
                {v.kind === 'significant' ? (
                  <Button variant="subtle" size="compact-sm" onClick={() => setShown(v.number)}>
                    {t('privacyPolicy.admin.showDeliveries', { number: v.number })}
                  </Button>
                ) : null}
              </Group>
            ))}
          </Stack>
        )}
      </section>
      {shown !== null ? <Deliveries number={shown} /> : null}
    </Stack>
  );
}

function Deliveries({ number }: { number: number }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['privacy-deliveries', number],
    queryFn: () => api<PrivacyPolicyDeliveryBody>(`/privacy-policy/versions/${number}/deliveries`),
    refetchInterval: 5000,
  });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  return (
    <section aria-labelledby="deliveries-title">
      <Title order={2} size="h3" id="deliveries-title">
        {t('privacyPolicy.admin.deliveries')} — {t('privacyPolicy.page.historyVersion', { number, date: '' }).replace(/ — $/, '')}
      </Title>
      <Text mt="xs">{t('privacyPolicy.admin.counts', q.data.counts)}</Text>
      <Table mt="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('privacyPolicy.admin.recipient')}</Table.Th>
            <Table.Th scope="col">{t('privacyPolicy.admin.institution')}</Table.Th>
            <Table.Th scope="col">{t('privacyPolicy.admin.status')}</Table.Th>
            <Table.Th scope="col">{t('privacyPolicy.admin.acknowledged')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.recipients.map((r) => (
            <Table.Tr key={r.email}>
              <Table.Td>{r.email}</Table.Td>
              <Table.Td>{r.institutionName}</Table.Td>
              <Table.Td>{t(`privacyPolicy.admin.statuses.${r.status}`)}</Table.Td>
              <Table.Td>{t(r.acknowledged ? 'privacyPolicy.admin.yes' : 'privacyPolicy.admin.no')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}
