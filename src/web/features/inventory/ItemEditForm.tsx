/** Edits an inventory item; saves only the changed fields with the version last seen (409 stale → reload). */
import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inventoryUpdateSchema, type InstitutionBody, type InventoryItemBody, type InventoryUpdate } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { api, ApiError } from '../../lib/api.js';
import { draftOn, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { CustomAppFields } from './CustomAppFields.js';
import { changedFields, draftFromItem, nullIfBlank, type CustomDraft, type InventoryDraft } from './draft.js';
import { InventoryFieldsForm } from './InventoryFieldsForm.js';
import { itemQuery } from './itemQueries.js';

interface ItemEditFormProps {
  item: InventoryItemBody;
  institution: InstitutionBody | undefined;
  canEdit: boolean;
}

type EditDraft = InventoryDraft & { custom: CustomDraft };

function editDraftOf(item: InventoryItemBody): EditDraft {
  return { ...draftFromItem(item), custom: customOf(item) };
}

/** The changed fields of the item last loaded, with its version (and a custom app's own changes). */
function updateOf(base: InventoryItemBody, { custom, ...draft }: EditDraft): InventoryUpdate {
  const body: InventoryUpdate = { version: base.version, ...changedFields(draftFromItem(base), draft) };
  if (base.isCustom) {
    const c: NonNullable<InventoryUpdate['custom']> = {};
    if (custom.name.trim() !== base.name) c.name = custom.name;
    if (custom.vendor.trim() !== base.vendor) c.vendor = custom.vendor.trim();
    if (nullIfBlank(custom.website) !== base.website) c.website = nullIfBlank(custom.website);
    if (Object.keys(c).length > 0) body.custom = c;
  }
  return body;
}

export function ItemEditForm({ item, institution, canEdit }: ItemEditFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // The version the form was loaded from: saves send it, so edits never overwrite someone else's.
  const [baseItem, setBaseItem] = useState(item);
  const baseRef = useRef(baseItem);
  baseRef.current = baseItem;
  const schema = useMemo(() => draftOn(inventoryUpdateSchema, (draft: EditDraft) => updateOf(baseRef.current, draft)), []);
  const form = useContractForm(schema, { defaultValues: editDraftOf(item) });
  const draft = form.watch();
  const [message, setMessage] = useState<string | null>(null);

  const loadItem = (loaded: InventoryItemBody) => {
    setBaseItem(loaded);
    baseRef.current = loaded;
    form.reset(editDraftOf(loaded));
  };

  useEffect(() => {
    if (item.version === baseItem.version) return;
    const sameFields = isEmpty(updateOf(baseItem, editDraftOf(item)), 1);
    const localEdits = !isEmpty(updateOf(baseItem, form.getValues()), 1);
    if (sameFields) {
      setBaseItem(item); // only the status moved (e.g. our own transition): keep the edits
    } else if (!localEdits) {
      loadItem(item);
    } // else: keep the old version so saving reports the conflict
  }, [item.version]);

  const save = useMutation({
    mutationFn: (body: InventoryUpdate) => api<InventoryItemBody>(`/inventory/${item.id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(itemQuery(item.id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ['inventory'], predicate: (q) => q.queryKey[1] !== 'item' });
      loadItem(saved);
      setMessage(t('common.saved'));
    },
    onError: (error) => setServerErrors(form, error),
  });

  const stale = save.error instanceof ApiError && save.error.code === 'stale';
  const reload = async () => {
    const fresh = await queryClient.fetchQuery({ ...itemQuery(item.id), staleTime: 0 });
    loadItem(fresh);
    save.reset();
  };

  const onSubmit = form.handleSubmit((body) => {
    setMessage(null);
    save.mutate(body);
  });

  const fields = flatErrors(form.formState.errors);
  const { custom, ...values } = draft;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        {!canEdit ? <Text c="dimmed">{t('item.readOnly')}</Text> : null}
        {item.isCustom ? (
          <Paper withBorder p="md">
            <CustomAppFields
              value={custom}
              onChange={(p) => patchValues(form, { custom: { ...form.getValues('custom'), ...p } })}
              fields={fields}
              disabled={!canEdit}
            />
          </Paper>
        ) : null}
        <InventoryFieldsForm
          value={values}
          onChange={(patch) => {
            setMessage(null);
            patchValues(form, patch);
          }}
          fields={fields}
          institution={institution}
          disabled={!canEdit}
        />
        <Feedback error={save.error} success={message} />
        {canEdit ? (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {stale ? (
              <Button variant="default" onClick={() => void reload()}>
                {t('common.reload')}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

function customOf(item: InventoryItemBody): CustomDraft {
  return { name: item.name, vendor: item.vendor, website: item.website ?? '' };
}

/** Whether an update body changes nothing beyond its version. */
function isEmpty(o: object, keep = 0): boolean {
  return Object.keys(o).length === keep;
}
