/** Invitations of the institution, pending ones revocable. */
import { Badge, Button, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvitationBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { ListTable } from '../../components/ListTable.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';

const invitationsQuery = {
  queryKey: ['invitations'],
  queryFn: () => api<{ items: InvitationBody[] }>('/invitations').then((r) => r.items),
};

export function InvitationsTable() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const invitations = useQuery(invitationsQuery);
  const [message, setMessage] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: (invitation: InvitationBody) => api<void>(`/invitations/${invitation.id}`, { method: 'DELETE' }),
    onSuccess: (_, invitation) => {
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
      setMessage(t('users.revoked', { email: invitation.email }));
    },
  });

  return (
    <Stack component="section" aria-labelledby="invitations-heading">
      <Title order={2} size="h3" id="invitations-heading">
        {t('users.invitationsHeading')}
      </Title>
      <Feedback error={revoke.error} success={message} />
      <ListTable
        query={invitations}
        caption={t('users.invitationsHeading')}
        empty={t('users.noInvitations')}
        minWidth={640}
        columns={[t('users.name'), t('users.email'), t('users.role'), t('users.status'), t('users.expires'), t('users.actions')]}
      >
        {(items) =>
          items.map((inv) => (
            <Table.Tr key={inv.id}>
              <Table.Th scope="row" fw={500}>
                {inv.firstName} {inv.lastName}
              </Table.Th>
              <Table.Td>{inv.email}</Table.Td>
              <Table.Td>
                {t(`role.${inv.role}`)}
                {inv.canApprove ? ` · ${t('users.approver')}` : ''}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={inv.status === 'pending' ? 'blue' : 'gray'}>
                  {t(`invitationStatus.${inv.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{format.dateTime(inv.expiresAt)}</Table.Td>
              <Table.Td>
                {inv.status === 'pending' ? (
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={t('users.revokeFor', { email: inv.email })}
                    loading={revoke.isPending && revoke.variables.id === inv.id}
                    onClick={() => {
                      setMessage(null);
                      revoke.mutate(inv);
                    }}
                  >
                    {t('users.revoke')}
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListTable>
    </Stack>
  );
}
