/** On an inventory item: its assessment, or a way to start one from the bank (or blank). */
import { Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentBody } from '../../../contracts/assessments.js';
import { Feedback } from '../../components/Feedback.js';
import { ButtonLink } from '../../components/links.js';
import { api } from '../../lib/api.js';
import { assessmentsQuery, bankQuery } from './queries.js';

export function AssessmentPanel({ itemId, catalogAppId, canEdit }: { itemId: string; catalogAppId: string | null; canEdit: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useQuery(assessmentsQuery(itemId));
  const bank = useQuery({ ...bankQuery(), enabled: canEdit && existing.data?.length === 0 });
  const templates = (bank.data ?? []).filter((b) => b.latestPublished && (b.isGeneric || !b.catalogAppId || b.catalogAppId === catalogAppId));
  const suggested = templates.find((b) => b.catalogAppId && b.catalogAppId === catalogAppId) ?? null;
  const [choice, setChoice] = useState<string | null>(null);
  const selected = choice ?? suggested?.latestPublished?.id ?? 'blank';
  const start = useMutation({
    mutationFn: () => api<AssessmentBody>('/assessments', { method: 'POST', body: { inventoryItemId: itemId, ...(selected !== 'blank' ? { templateVersionId: selected } : {}) } }),
    onSuccess: (a) => {
      void queryClient.invalidateQueries({ queryKey: ['assessments'] });
      void navigate({ to: '/assessments/$assessmentId', params: { assessmentId: a.id } });
    },
  });
  const a = existing.data?.[0];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="pia-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="pia-heading">
          {t('assessments.panel.title')}
        </Title>
        {a ? (
          <Group>
            <Text size="sm">
              {t(`assessments.status.${a.status}`)} · {t('assessments.revision', { number: a.currentRevision })}
            </Text>
            <ButtonLink to="/assessments/$assessmentId" params={{ assessmentId: a.id }} size="xs">
              {t('assessments.panel.open')}
            </ButtonLink>
          </Group>
        ) : (
          <>
            <Text size="sm">{t('assessments.panel.none')}</Text>
            {canEdit ? (
              <Stack gap="xs">
                <Select
                  label={t('assessments.panel.template')}
                  data={[...templates.map((b) => ({ value: b.latestPublished!.id, label: `${b.title} (v${b.latestPublished!.number})` })), { value: 'blank', label: t('assessments.panel.blank') }]}
                  value={selected}
                  onChange={setChoice}
                  allowDeselect={false}
                />
                <Feedback error={start.error} />
                <Button w="fit-content" onClick={() => start.mutate()} loading={start.isPending}>
                  {t('assessments.panel.start')}
                </Button>
              </Stack>
            ) : null}
          </>
        )}
      </Stack>
    </Paper>
  );
}
