/** Invite a person to the institution (email, names, role, approver right). */
import { Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvitationBody } from '../../../contracts/api.js';
import { INSTITUTION_ROLES, type InstitutionRole } from '../../../contracts/domain.js';
import { Feedback } from '../../components/Feedback.js';
import { api, fieldError } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';

const empty = { email: '', firstName: '', lastName: '', role: 'app_admin' as InstitutionRole, canApprove: false };

export function InviteForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(empty);
  const [message, setMessage] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      api<InvitationBody>('/invitations', {
        method: 'POST',
        body: { ...draft, email: draft.email.trim(), firstName: draft.firstName.trim(), lastName: draft.lastName.trim() },
      }),
    onSuccess: (invitation) => {
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
      setMessage(t('users.invited', { email: invitation.email }));
      setDraft(empty);
    },
  });
  const set = (patch: Partial<typeof empty>) => {
    setMessage(null);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  const fields = fieldsOf(invite.error);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="invite-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="invite-heading">
            {t('users.inviteHeading')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('users.email')}
              type="email"
              required
              value={draft.email}
              onChange={(e) => set({ email: e.currentTarget.value })}
              error={fieldError(fields, 'email')}
            />
            <TextInput
              label={t('users.firstName')}
              required
              value={draft.firstName}
              onChange={(e) => set({ firstName: e.currentTarget.value })}
              error={fieldError(fields, 'firstName')}
            />
            <TextInput
              label={t('users.lastName')}
              required
              value={draft.lastName}
              onChange={(e) => set({ lastName: e.currentTarget.value })}
              error={fieldError(fields, 'lastName')}
            />
          </SimpleGrid>
          <Group align="flex-end">
            <Select
              label={t('users.role')}
              data={INSTITUTION_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
              value={draft.role}
              onChange={(v) => set({ role: (v ?? 'app_admin') as InstitutionRole })}
              allowDeselect={false}
              error={fieldError(fields, 'role')}
              w={240}
            />
            <Checkbox
              mb={8}
              label={t('users.canApprove')}
              checked={draft.canApprove}
              onChange={(e) => set({ canApprove: e.currentTarget.checked })}
            />
          </Group>
          <Feedback error={invite.error} success={message} />
          <Group>
            <Button type="submit" loading={invite.isPending}>
              {t('users.sendInvite')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
