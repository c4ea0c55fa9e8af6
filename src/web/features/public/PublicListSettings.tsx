/** Settings panel (site admins): publish the public list at an address, or take it down. */
import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { institutionUpdateSchema, type InstitutionBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { api } from '../../lib/api.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';

/** The part of an institution's update this panel edits: the public list's address. */
const publicListForm = institutionUpdateSchema.pick({ publicSlug: true });

export function PublicListSettings({ institution }: { institution: InstitutionBody }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useContractForm(publicListForm, { defaultValues: { publicSlug: institution.publicSlug ?? '' } });
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (publicSlug: string | null) =>
      api<InstitutionBody>(`/institutions/${institution.id}`, { method: 'PATCH', body: { publicSlug } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['institutions', saved.id], saved);
      form.reset({ publicSlug: saved.publicSlug ?? '' });
      setMessage(t(saved.publicSlug ? 'publicList.settings.saved' : 'publicList.settings.removed'));
    },
    onMutate: () => setMessage(null),
    onError: (error) => setServerErrors(form, error),
  });
  const onSubmit = form.handleSubmit(({ publicSlug }) => save.mutate(publicSlug ?? null));
  const address = institution.publicSlug ? `${window.location.origin}/public/${institution.publicSlug}` : null;

  return (
    <Paper component="section" withBorder p="md" aria-labelledby="public-list-settings">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="public-list-settings">
            {t('publicList.settings.title')}
          </Title>
          <Text size="sm">{t('publicList.settings.intro')}</Text>
          {address ? (
            <Text>
              {t('publicList.settings.published')}{' '}
              <Anchor href={address} target="_blank" rel="noopener">
                {address}
              </Anchor>
            </Text>
          ) : (
            <Text c="dimmed">{t('publicList.settings.notPublished')}</Text>
          )}
          <TextInput
            label={t('publicList.settings.address')}
            description={t('publicList.settings.addressHint')}
            leftSection={<Text size="sm">/public/</Text>}
            leftSectionWidth={64}
            {...form.register('publicSlug')}
            error={errorOf(form.formState.errors, 'publicSlug')}
            autoComplete="off"
            spellCheck={false}
          />
          <Feedback success={message} error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending && save.variables !== null}>
              {t('publicList.settings.publish')}
            </Button>
            {institution.publicSlug ? (
              <Button variant="default" color="red" onClick={() => save.mutate(null)} loading={save.isPending && save.variables === null}>
                {t('publicList.settings.unpublish')}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
