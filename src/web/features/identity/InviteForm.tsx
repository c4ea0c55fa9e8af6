/** Invite a person to the institution (email, names, role, approver right). */
import { Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { invitationCreateSchema, type InvitationBody } from '../../../contracts/api.js';
import { INSTITUTION_ROLES, type InstitutionRole } from '../../../contracts/domain.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';

const empty = { email: '', firstName: '', lastName: '', role: 'app_admin' as InstitutionRole, canApprove: false };
type Invitation = z.output<typeof invitationCreateSchema>;

export function InviteForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useContractForm(invitationCreateSchema, { defaultValues: empty });
  const [message, setMessage] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: (body: Invitation) => api<InvitationBody>('/invitations', { method: 'POST', body }),
    onSuccess: (invitation) => {
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
      setMessage(t('users.invited', { email: invitation.email }));
      form.reset(empty);
    },
    onError: (error) => setServerErrors(form, error),
  });
  const onSubmit = form.handleSubmit((body) => {
    setMessage(null);
    invite.mutate(body);
  });
  const { errors } = form.formState;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="invite-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="invite-heading">
            {t('users.inviteHeading')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('users.email')} type="email" required {...form.register('email')} error={errorOf(errors, 'email')} />
            <TextInput label={t('users.firstName')} required {...form.register('firstName')} error={errorOf(errors, 'firstName')} />
            <TextInput label={t('users.lastName')} required {...form.register('lastName')} error={errorOf(errors, 'lastName')} />
          </SimpleGrid>
          <Group align="flex-end">
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <Select
                  label={t('users.role')}
                  data={INSTITUTION_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                  ref={field.ref}
                  value={field.value}
                  onChange={(v) => field.onChange(v ?? 'app_admin')}
                  onBlur={field.onBlur}
                  allowDeselect={false}
                  error={errorOf(errors, 'role')}
                  w={240}
                />
              )}
            />
            <Checkbox mb={8} label={t('users.canApprove')} {...form.register('canApprove')} />
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
