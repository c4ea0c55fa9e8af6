/** `/platform-admins` (platform admins): the operator's team, and resetting a colleague's lost second factor. */
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { Loading, NotPermitted } from '../../components/PageState.js';
import { ResetMfaButton } from '../../features/identity/ResetMfaButton.js';
import { platformAdminsQuery } from '../../lib/queries.js';
import { useRequiredSession } from '../../lib/session.js';

export function PlatformAdminsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const allowed = session.abilities.manageInstitutions;
  const admins = useQuery({ ...platformAdminsQuery, enabled: allowed });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!allowed) return <NotPermitted />;
  return (
    <Stack>
      <Title order={1}>{t('users.platformAdmins.title')}</Title>
      <Text maw={720}>{t('users.platformAdmins.intro')}</Text>
      <Feedback error={error} success={message} />
      {admins.isPending ? (
        <Loading />
      ) : admins.isError ? (
        <ErrorAlert error={admins.error} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm">
            <Table.Caption className="visually-hidden">{t('users.platformAdmins.title')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('users.name')}</Table.Th>
                <Table.Th scope="col">{t('users.email')}</Table.Th>
                <Table.Th scope="col">{t('users.status')}</Table.Th>
                <Table.Th scope="col">{t('users.platformAdmins.twoStep')}</Table.Th>
                <Table.Th scope="col">{t('users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {admins.data.map((admin) => {
                const name = `${admin.firstName} ${admin.lastName}`;
                const self = admin.id === session.user.id;
                return (
                  <Table.Tr key={admin.id}>
                    <Table.Th scope="row" fw={500}>
                      {name}
                      {self ? (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          ({t('users.you')})
                        </Text>
                      ) : null}
                    </Table.Th>
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
                        <ResetMfaButton
                          userId={admin.id}
                          name={name}
                          onSaved={(m) => {
                            setError(null);
                            setMessage(m);
                          }}
                          onError={(e) => {
                            setMessage(null);
                            setError(e);
                          }}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
