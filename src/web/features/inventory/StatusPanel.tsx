/** The item's status and the buttons of the transitions it allows (with an optional comment). */
import { Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryItemBody } from '../../../contracts/api.js';
import type { InventoryStatus } from '../../../contracts/domain.js';
import { Feedback } from '../../components/Feedback.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { api } from '../../lib/api.js';
import { itemQuery } from './itemQueries.js';

const DECISIONS: ReadonlySet<InventoryStatus> = new Set(['approved', 'approved_with_conditions', 'not_approved']);

interface StatusPanelProps {
  item: InventoryItemBody;
  canEdit: boolean;
  canApprove: boolean;
}

export function StatusPanel({ item, canEdit, canApprove }: StatusPanelProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const transition = useMutation({
    mutationFn: (status: InventoryStatus) =>
      api<InventoryItemBody>(`/inventory/${item.id}/transition`, {
        method: 'POST',
        body: { version: item.version, status, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(itemQuery(item.id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ['inventory'], predicate: (q) => q.queryKey[1] !== 'item' });
      setComment('');
      setMessage(t('item.statusChanged', { status: t(`status.${saved.status}`) }));
    },
  });

  const options = canEdit ? item.allowedTransitions.filter((s) => canApprove || !DECISIONS.has(s)) : [];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="status-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="status-heading">
          {t('item.changeStatus')}
        </Title>
        <Group gap="xs">
          <Text size="sm">{t('item.currentStatus')}:</Text>
          <StatusBadge status={item.status} />
        </Group>
        {canEdit && canApprove && item.approvalNeedsPia && ['requested', 'in_review', 'needs_review'].includes(item.status) ? (
          <Text size="sm">{t('item.approvalNeedsPia')}</Text>
        ) : null}
        {options.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('item.noTransitions')}
          </Text>
        ) : (
          <>
            <Textarea
              label={t('item.comment')}
              description={t('item.commentHint')}
              autosize
              minRows={1}
              maxLength={2000}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
            <Group gap="xs">
              {options.map((status) => (
                <Button
                  key={status}
                  variant={DECISIONS.has(status) ? 'filled' : 'default'}
                  color={status === 'not_approved' ? 'red' : undefined}
                  loading={transition.isPending && transition.variables === status}
                  disabled={transition.isPending}
                  onClick={() => {
                    setMessage(null);
                    transition.mutate(status);
                  }}
                >
                  {t(`transition.${status}`)}
                </Button>
              ))}
            </Group>
          </>
        )}
        <Feedback error={transition.error} success={message} />
      </Stack>
    </Paper>
  );
}
