/** `/inventory/new`: add a catalog app or a custom app to the inventory. */
import { Alert, Button, Group, Paper, Radio, Stack, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inventoryCreateSchema, type CatalogAppBody, type InventoryCreate, type InventoryItemBody } from '../../../contracts/api.js';
import type { DataElement } from '../../../contracts/domain.js';
import { Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { api, fieldError } from '../../lib/api.js';
import { catalogAppQuery } from '../../lib/catalog.js';
import { setFlash } from '../../lib/flash.js';
import { draftOn, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { useRequiredSession } from '../../lib/session.js';
import { useCurrentInstitution } from '../../lib/useInstitution.js';
import { CatalogPicker } from './CatalogPicker.js';
import { CustomAppFields } from './CustomAppFields.js';
import { emptyDraft, nullIfBlank, type CustomDraft, type InventoryDraft } from './draft.js';
import { InventoryFieldsForm } from './InventoryFieldsForm.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';

const route = getRouteApi('/_app/inventory/new');

export function InventoryAddPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const { institution, isPending } = useCurrentInstitution();
  if (!session.institution) return <PickInstitution title={t('item.addTitle')} />;
  if (!session.abilities.manageInventory) return <NotPermitted />;
  return (
    <Stack>
      <AnchorLink to="/inventory" size="sm">
        ← {t('inventory.title')}
      </AnchorLink>
      <Title order={1}>{t('item.addTitle')}</Title>
      {isPending ? (
        <Loading />
      ) : (
        <WriteArea>
          <AddForm institution={institution} />
        </WriteArea>
      )}
    </Stack>
  );
}

interface AddDraft extends InventoryDraft {
  source: 'catalog' | 'custom';
  app: CatalogAppBody | null;
  custom: CustomDraft;
}

const emptyAdd = (): AddDraft => ({ ...emptyDraft(), source: 'catalog', app: null, custom: { name: '', vendor: '', website: '' } });

/** The new item: the catalog app picked, or the custom app's name, vendor and website. */
function createOf({ source, app, custom, ...draft }: AddDraft): InventoryCreate {
  return source === 'catalog'
    ? { ...draft, ...(app ? { catalogAppId: app.id } : {}) }
    : { ...draft, custom: { name: custom.name, vendor: custom.vendor.trim(), website: nullIfBlank(custom.website) } };
}

const addSchema = draftOn(inventoryCreateSchema, createOf);

function AddForm({ institution }: { institution: ReturnType<typeof useCurrentInstitution>['institution'] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { catalogAppId } = route.useSearch();
  const preset = useQuery({ ...catalogAppQuery(catalogAppId ?? ''), enabled: Boolean(catalogAppId) });

  const form = useContractForm(addSchema, { defaultValues: emptyAdd() });
  const { source, app, custom, ...draft } = form.watch();
  // Data elements follow the app picked until the person changes them.
  const [elementsTouched, setElementsTouched] = useState(false);
  const [prefilled, setPrefilled] = useState(false);

  const pickApp = (picked: CatalogAppBody | null) => {
    const patch: Partial<AddDraft> = { app: picked };
    if (picked && !elementsTouched) {
      patch.dataElements = picked.dataElements as DataElement[];
      setPrefilled(picked.dataElements.length > 0);
    }
    patchValues(form, patch);
  };

  useEffect(() => {
    if (preset.data && !form.getValues('app')) pickApp(preset.data);
    // Only when the preset arrives.
  }, [preset.data]);

  const create = useMutation({
    mutationFn: (body: InventoryCreate) => api<InventoryItemBody>('/inventory', { method: 'POST', body }),
    onSuccess: (item) => {
      void queryClient.invalidateQueries({ queryKey: ['inventory'] });
      queryClient.setQueryData(['inventory', 'item', item.id], item);
      setFlash(t('item.added'));
      void navigate({ to: '/inventory/$itemId', params: { itemId: item.id } });
    },
    onError: (error) => setServerErrors(form, error),
  });

  const onChange = (patch: Partial<InventoryDraft>) => {
    if ('dataElements' in patch) {
      setElementsTouched(true);
      setPrefilled(false);
    }
    patchValues(form, patch);
  };

  const onSubmit = form.handleSubmit((body) => create.mutate(body));

  const fields = flatErrors(form.formState.errors);
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        <Paper withBorder p="md">
          <Stack>
            <Radio.Group
              label={t('item.source')}
              value={source}
              onChange={(v) => patchValues(form, { source: v === 'custom' ? 'custom' : 'catalog' })}
            >
              <Group mt="xs">
                <Radio value="catalog" label={t('item.fromCatalog')} />
                <Radio value="custom" label={t('item.custom')} />
              </Group>
            </Radio.Group>
            {source === 'catalog' ? (
              <CatalogPicker value={app} onChange={pickApp} error={fieldError(fields, 'catalogAppId')} />
            ) : (
              <CustomAppFields
                value={custom}
                onChange={(p) => patchValues(form, { custom: { ...form.getValues('custom'), ...p } })}
                fields={fields}
              />
            )}
            {source === 'catalog' && prefilled ? (
              <Alert color="blue" variant="light">
                {t('item.fromCatalogPrefill')}
              </Alert>
            ) : null}
          </Stack>
        </Paper>
        <InventoryFieldsForm value={draft} onChange={onChange} fields={fields} institution={institution} />
        <Feedback error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={() => void navigate({ to: '/inventory' })}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
