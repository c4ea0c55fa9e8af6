/**
 * An administrator resets the two-step verification of someone who lost their authenticator and
 * recovery codes: a site admin for their institution's people, a platform admin for another.
 */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.js';
import type { PersonActionProps } from './person-action.js';
import { platformAdminsQuery, usersQuery } from '../../lib/queries.js';
import { useReauthenticated } from './reauth-context.js';

export function ResetMfaButton({ userId, name, onSaved, onError }: PersonActionProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation({
    mutationFn: useReauthenticated(() => api<void>(`/users/${userId}/mfa`, { method: 'DELETE' })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });
      void queryClient.invalidateQueries({ queryKey: platformAdminsQuery.queryKey });
      onSaved(t('identity.users.resetMfaDone', { name }));
    },
    onError,
  });
  return (
    <>
      <Button
        size="xs"
        variant="default"
        ml="xs"
        aria-label={`${t('identity.users.resetMfa')} — ${name}`}
        onClick={() => setConfirming(true)}
      >
        {t('identity.users.resetMfa')}
      </Button>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('identity.users.resetMfaTitle', { name })}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('identity.users.resetMfaBody', { name })}</Text>
          <Group>
            <Button
              color="red"
              onClick={() => {
                // Closed first: a re-authentication dialog may open next.
                setConfirming(false);
                reset.mutate(undefined);
              }}
            >
              {t('identity.users.resetMfa')}
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
