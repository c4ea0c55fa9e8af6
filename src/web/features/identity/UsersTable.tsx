/** The institution's users: change role and approver right, disable or enable. */
import { Badge, Button, Select, Switch, Table } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UserBody } from '../../../contracts/api.js';
import { INSTITUTION_ROLES, type InstitutionRole } from '../../../contracts/domain.js';
import { EndSessionsButton } from './EndSessionsButton.js';
import { ResetMfaButton } from './ResetMfaButton.js';
import { api } from '../../lib/api.js';
import { usersQuery } from '../../lib/queries.js';
import { PersonCell } from './PersonCell.js';

type UserUpdate = { role?: InstitutionRole; canApprove?: boolean; status?: 'active' | 'disabled' };

interface UsersTableProps {
  users: UserBody[];
  currentUserId: string;
  /** Site admins reset the second factor of their institution's people (platform admins do not). */
  canResetMfa: boolean;
  onSaved: (message: string) => void;
  onError: (error: unknown) => void;
}

export function UsersTable({ users, currentUserId, canResetMfa, onSaved, onError }: UsersTableProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: ({ user, patch }: { user: UserBody; patch: UserUpdate }) =>
      api<UserBody>(`/users/${user.id}`, { method: 'PATCH', body: patch }),
    onSuccess: (saved) => {
      queryClient.setQueryData(usersQuery.queryKey, (old) => old?.map((u) => (u.id === saved.id ? saved : u)));
      onSaved(t('users.updated', { name: `${saved.firstName} ${saved.lastName}` }));
    },
    onError,
  });

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing="sm">
        <Table.Caption className="visually-hidden">{t('users.title')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('users.name')}</Table.Th>
            <Table.Th scope="col">{t('users.email')}</Table.Th>
            <Table.Th scope="col">{t('users.role')}</Table.Th>
            <Table.Th scope="col">{t('users.approver')}</Table.Th>
            <Table.Th scope="col">{t('users.status')}</Table.Th>
            <Table.Th scope="col">{t('users.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const name = `${user.firstName} ${user.lastName}`;
            const self = user.id === currentUserId;
            const platform = user.role === 'platform_admin';
            const busy = update.isPending && update.variables.user.id === user.id;
            return (
              <Table.Tr key={user.id}>
                <PersonCell name={name} self={self} />
                <Table.Td>{user.email}</Table.Td>
                <Table.Td>
                  {platform ? (
                    t('role.platform_admin')
                  ) : (
                    <Select
                      aria-label={t('users.roleFor', { name })}
                      size="xs"
                      w={200}
                      data={INSTITUTION_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                      value={user.role}
                      allowDeselect={false}
                      disabled={self || busy}
                      onChange={(role) => {
                        if (role && role !== user.role) update.mutate({ user, patch: { role: role as InstitutionRole } });
                      }}
                    />
                  )}
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={t('users.approverFor', { name })}
                    checked={user.canApprove}
                    disabled={self || busy || platform}
                    onChange={(e) => update.mutate({ user, patch: { canApprove: e.currentTarget.checked } })}
                  />
                </Table.Td>
                <Table.Td>
                  <Badge color={user.status === 'active' ? 'green' : 'gray'} variant="light">
                    {t(`userStatus.${user.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {self || platform ? null : (
                    <Button
                      size="xs"
                      variant="default"
                      loading={busy && update.variables.patch.status !== undefined}
                      disabled={busy}
                      aria-label={user.status === 'active' ? t('users.disableFor', { name }) : t('users.enableFor', { name })}
                      onClick={() => update.mutate({ user, patch: { status: user.status === 'active' ? 'disabled' : 'active' } })}
                    >
                      {user.status === 'active' ? t('users.disable') : t('users.enable')}
                    </Button>
                  )}
                  {platform ? null : <EndSessionsButton userId={user.id} name={name} onSaved={onSaved} onError={onError} />}
                  {!canResetMfa || platform || self || !user.mfaEnabled ? null : (
                    <ResetMfaButton userId={user.id} name={name} onSaved={onSaved} onError={onError} />
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
