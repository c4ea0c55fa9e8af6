/** `/platform-admins` (platform admins): the operator's team, and resetting a colleague's lost second factor. */
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Feedback, useOutcome } from '../../components/Feedback.js';
import { ListTable } from '../../components/ListTable.js';
import { NotPermitted } from '../../components/PageState.js';
import { ResetMfaButton } from './ResetMfaButton.js';
import { platformAdminsQuery } from '../../lib/queries.js';
import { useRequiredSession } from '../../lib/session.js';
import { PersonCell } from './PersonCell.js';

export function PlatformAdminsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const allowed = session.abilities.manageInstitutions;
  const admins = useQuery({ ...platformAdminsQuery, enabled: allowed });
  const outcome = useOutcome();

  if (!allowed) return <NotPermitted />;
  return (
    <Stack>
      <Title order={1}>{t('users.platformAdmins.title')}</Title>
      <Text maw={720}>{t('users.platformAdmins.intro')}</Text>
      <Feedback error={outcome.error} success={outcome.success} />
      <ListTable
        query={admins}
        caption={t('users.platformAdmins.title')}
        empty=""
        minWidth={640}
        columns={[t('users.name'), t('users.email'), t('users.status'), t('users.platformAdmins.twoStep'), t('users.actions')]}
      >
        {(items) =>
          items.map((admin) => {
            const name = `${admin.firstName} ${admin.lastName}`;
            const self = admin.id === session.user.id;
            return (
              <Table.Tr key={admin.id}>
                <PersonCell name={name} self={self} />
                <Table.Td>{admin.email}</Table.Td>
                <Table.Td>
                  <Badge color={admin.status === 'active' ? 'green' : 'gray'} variant="light">
                    {t(`userStatus.${admin.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{admin.mfaEnabled ? t('users.platformAdmins.on') : t('users.platformAdmins.off')}</Table.Td>
                <Table.Td>
                  {/* Nobody resets their own: the server refuses it too. */}
                  {self || !admin.mfaEnabled ? null : (
                    <ResetMfaButton userId={admin.id} name={name} onSaved={outcome.onSaved} onError={outcome.onError} />
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })
        }
      </ListTable>
    </Stack>
  );
}
