/** Create or edit a catalog app (platform admins), in a modal. */
import { Button, Group, Modal, MultiSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { catalogAppInputSchema, catalogAppUpdateSchema, type CatalogAppBody } from '../../../contracts/api.js';
import { APP_CATEGORIES, SENSITIVE_DATA_ELEMENTS, SIGN_IN_SUPPORT, STORAGE_COUNTRIES } from '../../../contracts/domain.js';
import { Feedback } from '../../components/Feedback.js';
import { api, fieldError } from '../../lib/api.js';
import { DATA_ELEMENT_GROUPS } from '../../lib/dataElementGroups.js';
import { draftOn, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { useFormat } from '../../lib/format.js';

interface CatalogAppFormProps {
  /** The app to edit, `null` to create one. */
  app: CatalogAppBody | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (app: CatalogAppBody, created: boolean) => void;
}

interface Draft {
  name: string;
  vendor: string;
  website: string;
  privacyPolicyUrl: string;
  termsUrl: string;
  categories: string[];
  description: string;
  storageCountries: string[];
  processingCountries: string[];
  signInSupport: string[];
  dataElements: string[];
}

function draftOf(app: CatalogAppBody | null): Draft {
  return {
    name: app?.name ?? '',
    vendor: app?.vendor ?? '',
    website: app?.website ?? '',
    privacyPolicyUrl: app?.privacyPolicyUrl ?? '',
    termsUrl: app?.termsUrl ?? '',
    categories: app?.categories ?? [],
    description: app?.description ?? '',
    storageCountries: app?.storageCountries ?? [],
    processingCountries: app?.processingCountries ?? [],
    signInSupport: app?.signInSupport ?? [],
    dataElements: app?.dataElements ?? [],
  };
}

const blankToNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The app as the API takes it: names trimmed, a blank link as none. */
function bodyOf(draft: Draft) {
  return {
    ...draft,
    vendor: draft.vendor.trim(),
    website: blankToNull(draft.website),
    privacyPolicyUrl: blankToNull(draft.privacyPolicyUrl),
    termsUrl: blankToNull(draft.termsUrl),
  };
}

export function CatalogAppForm({ app, opened, onClose, onSaved }: CatalogAppFormProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      title={app ? t('catalog.editApp') : t('catalog.newApp')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {opened ? <CatalogAppFields key={app?.id ?? 'new'} app={app} onClose={onClose} onSaved={onSaved} /> : null}
    </Modal>
  );
}

function CatalogAppFields({ app, onClose, onSaved }: Omit<CatalogAppFormProps, 'opened'>) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const schema = useMemo(() => draftOn(app ? catalogAppUpdateSchema : catalogAppInputSchema, bodyOf), [app]);
  const form = useContractForm(schema, { defaultValues: draftOf(app) });
  const draft = form.watch();
  const set = (patch: Partial<Draft>) => patchValues(form, patch);

  const save = useMutation({
    mutationFn: (body: z.output<typeof catalogAppUpdateSchema>) => {
      return app
        ? api<CatalogAppBody>(`/catalog/apps/${app.id}`, { method: 'PATCH', body })
        : api<CatalogAppBody>('/catalog/apps', { method: 'POST', body });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      onSaved(saved, !app);
    },
    onError: (error) => setServerErrors(form, error),
  });

  const fields = flatErrors(form.formState.errors);
  const countries = (selected: string[]) =>
    [...new Set([...STORAGE_COUNTRIES, ...selected])].map((c) => ({ value: c, label: `${format.country(c)} (${c})` }));
  const onSubmit = form.handleSubmit((body) => save.mutate(body));

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('catalog.name')}
            required
            value={draft.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={fieldError(fields, 'name')}
          />
          <TextInput
            label={t('catalog.vendor')}
            required
            value={draft.vendor}
            onChange={(e) => set({ vendor: e.currentTarget.value })}
            error={fieldError(fields, 'vendor')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('catalog.website')}
            type="url"
            placeholder="https://"
            value={draft.website}
            onChange={(e) => set({ website: e.currentTarget.value })}
            error={fieldError(fields, 'website')}
          />
          <TextInput
            label={t('catalog.privacyPolicyUrl')}
            type="url"
            placeholder="https://"
            value={draft.privacyPolicyUrl}
            onChange={(e) => set({ privacyPolicyUrl: e.currentTarget.value })}
            error={fieldError(fields, 'privacyPolicyUrl')}
          />
          <TextInput
            label={t('catalog.termsUrl')}
            type="url"
            placeholder="https://"
            value={draft.termsUrl}
            onChange={(e) => set({ termsUrl: e.currentTarget.value })}
            error={fieldError(fields, 'termsUrl')}
          />
        </SimpleGrid>
        <MultiSelect
          label={t('catalog.categories')}
          data={APP_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          value={draft.categories}
          onChange={(v) => set({ categories: v })}
          searchable
          error={fieldError(fields, 'categories')}
        />
        <Textarea
          label={t('catalog.description')}
          autosize
          minRows={3}
          maxLength={5000}
          value={draft.description}
          onChange={(e) => set({ description: e.currentTarget.value })}
          error={fieldError(fields, 'description')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <MultiSelect
            label={t('catalog.storageCountries')}
            data={countries(draft.storageCountries)}
            value={draft.storageCountries}
            onChange={(v) => set({ storageCountries: v })}
            searchable
            error={fieldError(fields, 'storageCountries')}
          />
          <MultiSelect
            label={t('catalog.processingCountries')}
            data={countries(draft.processingCountries)}
            value={draft.processingCountries}
            onChange={(v) => set({ processingCountries: v })}
            searchable
            error={fieldError(fields, 'processingCountries')}
          />
        </SimpleGrid>
        <MultiSelect
          label={t('catalog.signInSupport')}
          data={SIGN_IN_SUPPORT.map((s) => ({ value: s, label: t(`signInSupport.${s}`) }))}
          value={draft.signInSupport}
          onChange={(v) => set({ signInSupport: v })}
          error={fieldError(fields, 'signInSupport')}
        />
        <MultiSelect
          label={t('catalog.dataElements')}
          data={DATA_ELEMENT_GROUPS.map((g) => ({
            group: t(`dataElementGroup.${g.key}`),
            items: g.elements.map((code) => ({
              value: code,
              label: SENSITIVE_DATA_ELEMENTS.has(code)
                ? `${t(`dataElement.${code}`)} (${t('common.sensitive')})`
                : t(`dataElement.${code}`),
            })),
          }))}
          value={draft.dataElements}
          onChange={(v) => set({ dataElements: v })}
          searchable
          error={fieldError(fields, 'dataElements')}
        />
        <Feedback error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
