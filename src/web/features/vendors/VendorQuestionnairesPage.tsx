/**
 * `/vendor-questionnaires`: the reviewers' list of vendor questionnaires and the invitation form. The
 * operator invites for a bank template (answers go to the bank); an institution's site admin for an
 * app of its inventory (answers go to its own PIA of the app), as the API decides from the session.
 */
import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { InventoryPageBody } from '../../../contracts/api.js';
import { vendorInviteSchema, type VendorQuestionnaire } from '../../../contracts/vendors.js';
import { Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { ListTable } from '../../components/ListTable.js';
import { NotPermitted } from '../../components/PageState.js';
import { api } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { errorOf, setServerErrors, useContractForm } from '../../lib/form.js';
import { useRequiredSession } from '../../lib/session.js';
import { BankText, inLanguage } from '../assessments/BankText.js';
import { bankQuery } from '../assessments/queries.js';
import { stateOf, vendorQuestionnairesQuery } from './api.js';

/** Who reviews here: the operator (the bank's questionnaires) or an institution's site admin (its own). */
export function useVendorScope(): 'bank' | 'institution' | null {
  const session = useRequiredSession();
  if (session.user.role === 'platform_admin') return 'bank';
  return session.institution && session.user.role === 'site_admin' ? 'institution' : null;
}

export function VendorQuestionnairesPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const scope = useVendorScope();
  const list = useQuery({ ...vendorQuestionnairesQuery, enabled: scope !== null });
  if (!scope) return <NotPermitted />;
  return (
    <Stack gap="lg">
      <Title order={1}>{t('vendors.list.title')}</Title>
      <Text>{t(scope === 'bank' ? 'vendors.list.introBank' : 'vendors.list.introInstitution')}</Text>
      <InviteForm scope={scope} />
      <ListTable
        query={list}
        caption={t('vendors.list.caption')}
        empty={t('vendors.list.empty')}
        minWidth={760}
        columns={[
          t('vendors.list.product'),
          t('vendors.list.template'),
          t('vendors.list.state'),
          t('vendors.list.answered'),
          t('vendors.list.expires'),
        ]}
      >
        {(items) =>
          items.map((q) => (
            <Table.Tr key={q.id} data-questionnaire={q.productName}>
              <Table.Th scope="row">
                <AnchorLink
                  to="/vendor-questionnaires/$questionnaireId"
                  params={{ questionnaireId: q.id }}
                  aria-label={t('vendors.list.reviewLabel', { product: q.productName })}
                >
                  {q.productName}
                </AnchorLink>
                {q.vendorName ? (
                  <Text size="xs" c="dimmed">
                    {q.vendorName}
                  </Text>
                ) : null}
              </Table.Th>
              <Table.Td>
                <TemplateTitle english={q.templateTitle} french={q.templateTitleFr} /> (v{q.templateVersionNumber})
              </Table.Td>
              <Table.Td>{t(`vendors.state.${stateOf(q)}`)}</Table.Td>
              <Table.Td>{fmt.number(q.answeredCount)}</Table.Td>
              <Table.Td>{fmt.date(q.expiresAt)}</Table.Td>
            </Table.Tr>
          ))
        }
      </ListTable>
    </Stack>
  );
}

type Invite = z.output<typeof vendorInviteSchema>;
const empty = { email: '', productName: '', vendorName: '', language: 'en' as const, expiresInDays: 30 };

function InviteForm({ scope }: { scope: 'bank' | 'institution' }) {
  const { t, i18n } = useTranslation();
  const reader = i18n.language === 'fr' ? 'fr' : 'en';
  const client = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const templates = useQuery(bankQuery());
  const items = useQuery({
    queryKey: ['inventory', 'vendor-invite-choices'],
    queryFn: () => api<InventoryPageBody>('/inventory?pageSize=100').then((r) => r.items),
    enabled: scope === 'institution',
  });
  const form = useContractForm(vendorInviteSchema, { defaultValues: empty });
  const { errors } = form.formState;
  const invite = useMutation({
    mutationFn: (body: Invite) => api<VendorQuestionnaire>('/vendor-questionnaires', { method: 'POST', body }),
    onSuccess: (q) => {
      setMessage(t('vendors.invite.sent', { product: q.productName }));
      form.reset(empty);
      void client.invalidateQueries({ queryKey: vendorQuestionnairesQuery.queryKey });
    },
    onError: (error) => setServerErrors(form, error),
  });
  const onSubmit = form.handleSubmit((body) => {
    setMessage(null);
    invite.mutate(body);
  });
  const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
  const published = (templates.data ?? []).filter((x) => x.latestPublished);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="vendor-invite-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="vendor-invite-heading">
            {t('vendors.invite.heading')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {scope === 'institution' ? (
              <NativeSelect
                label={t('vendors.invite.item')}
                description={t('vendors.invite.itemHint')}
                required
                data={[
                  { value: '', label: t('vendors.invite.chooseItem') },
                  ...(items.data ?? []).map((i) => ({ value: i.id, label: i.name })),
                ]}
                {...form.register('inventoryItemId', { setValueAs: blankToUndefined })}
                error={errorOf(errors, 'inventoryItemId')}
              />
            ) : null}
            <NativeSelect
              label={t(scope === 'bank' ? 'vendors.invite.template' : 'vendors.invite.templateOptional')}
              description={t(scope === 'bank' ? 'vendors.invite.templateHint' : 'vendors.invite.templateOptionalHint')}
              required={scope === 'bank'}
              data={[
                { value: '', label: t(scope === 'bank' ? 'vendors.invite.chooseTemplate' : 'vendors.invite.noTemplate') },
                ...published.map((x) => ({ value: x.id, label: inLanguage(x.title, x.fr?.title, reader).text })),
              ]}
              {...form.register('templateId', { setValueAs: blankToUndefined })}
              error={errorOf(errors, 'templateId')}
            />
            <TextInput
              label={t('vendors.invite.productName')}
              required
              {...form.register('productName')}
              error={errorOf(errors, 'productName')}
            />
            <TextInput label={t('vendors.invite.vendorName')} {...form.register('vendorName')} error={errorOf(errors, 'vendorName')} />
            <TextInput
              label={t('vendors.invite.email')}
              description={t('vendors.invite.emailHint')}
              type="email"
              required
              {...form.register('email')}
              error={errorOf(errors, 'email')}
            />
            <NativeSelect label={t('vendors.invite.language')} {...form.register('language')} error={errorOf(errors, 'language')}>
              {/* Each language named in itself, as on the language switch. */}
              <option value="en" lang="en" data-language-name>
                English
              </option>
              <option value="fr" lang="fr" data-language-name>
                Français
              </option>
            </NativeSelect>
            <TextInput
              label={t('vendors.invite.days')}
              type="number"
              min={1}
              max={90}
              {...form.register('expiresInDays', { valueAsNumber: true })}
              error={errorOf(errors, 'expiresInDays')}
            />
          </SimpleGrid>
          <Feedback error={invite.error && Object.keys(errors).length === 0 ? invite.error : null} success={message} />
          <Group>
            <Button type="submit" loading={invite.isPending}>
              {t('vendors.invite.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A bank template's title in the reader's language (its English while the bank has no French), marked with its language. */
export function TemplateTitle({ english, french }: { english: string; french: string | null }) {
  const { i18n } = useTranslation();
  const shown = inLanguage(english, french, i18n.language === 'fr' ? 'fr' : 'en');
  return <BankText lang={shown.lang}>{shown.text}</BankText>;
}
