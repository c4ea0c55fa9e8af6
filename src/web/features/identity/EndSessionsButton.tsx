/** A site admin signs a user out of every device. */
import { Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.js';
import type { PersonActionProps } from './person-action.js';

export function EndSessionsButton({ userId, name, onSaved, onError }: PersonActionProps) {
  const { t } = useTranslation();
  const end = useMutation({
    mutationFn: () => api<{ revoked: number }>(`/users/${userId}/sessions`, { method: 'DELETE' }),
    onSuccess: (r) => onSaved(t('identity.users.endedSessions', { count: r.revoked })),
    onError,
  });
  return (
    <Button
      size="xs"
      variant="default"
      ml="xs"
      loading={end.isPending}
      aria-label={`${t('identity.users.endSessions')} — ${name}`}
      onClick={() => end.mutate()}
    >
      {t('identity.users.endSessions')}
    </Button>
  );
}
