/** `/users` (site admins): the institution's people, invitations and inviting someone. */
import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Feedback, useOutcome } from '../../components/Feedback.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { usersQuery } from '../../lib/queries.js';
import { useRequiredSession } from '../../lib/session.js';
import { InvitationsTable } from './InvitationsTable.js';
import { InviteForm } from './InviteForm.js';
import { UsersTable } from './UsersTable.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';

export function UsersPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const allowed = session.abilities.manageUsers && Boolean(session.institution);
  const users = useQuery({ ...usersQuery, enabled: allowed });
  const outcome = useOutcome();

  if (!session.institution) return <PickInstitution title={t('users.title')} />;
  if (!session.abilities.manageUsers) return <NotPermitted />;
  return (
    <Stack gap="xl">
      <Stack>
        <Title order={1}>{t('users.title')}</Title>
        <Title order={2} size="h3">
          {t('users.usersHeading', { institution: session.institution.name })}
        </Title>
        <Feedback error={outcome.error} success={outcome.success} />
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <ErrorAlert error={users.error} />
        ) : (
          <WriteArea>
            <UsersTable
              users={users.data}
              currentUserId={session.user.id}
              canResetMfa={session.user.role === 'site_admin'}
              onSaved={outcome.onSaved}
              onError={outcome.onError}
            />
          </WriteArea>
        )}
      </Stack>
      <WriteArea>
        <Stack gap="xl">
          <InviteForm />
          <InvitationsTable />
        </Stack>
      </WriteArea>
    </Stack>
  );
}
