/** Edits an inventory item; saves only the changed fields with the version last seen (409 stale → reload). */
import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstitutionBody, InventoryItemBody, InventoryUpdate } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { api, ApiError } from '../../lib/api.js';
import { fieldsOf } from '../../lib/errors.js';
import { CustomAppFields } from './CustomAppFields.js';
import { changedFields, draftFromItem, nullIfBlank, type CustomDraft, type InventoryDraft } from './draft.js';
import { InventoryFieldsForm } from './InventoryFieldsForm.js';
import { itemQuery } from './itemQueries.js';

interface ItemEditFormProps {
  item: InventoryItemBody;
  institution: InstitutionBody | undefined;
  canEdit: boolean;
}

export function ItemEditForm({ item, institution, canEdit }: ItemEditFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // The version the form was loaded from: saves send it, so edits never overwrite someone else's.
  const [baseItem, setBaseItem] = useState(item);
  const base = draftFromItem(baseItem);
  const [draft, setDraft] = useState<InventoryDraft>(base);
  const [custom, setCustom] = useState<CustomDraft>(customOf(item));
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (item.version === baseItem.version) return;
    const sameFields = isEmpty(changedFields(base, draftFromItem(item))) && sameCustom(customOf(baseItem), customOf(item));
    const localEdits = !isEmpty(changedFields(base, draft)) || !sameCustom(customOf(baseItem), custom);
    if (sameFields) {
      setBaseItem(item); // only the status moved (e.g. our own transition): keep the edits
    } else if (!localEdits) {
      setBaseItem(item);
      setDraft(draftFromItem(item));
      setCustom(customOf(item));
    } // else: keep the old version so saving reports the conflict
  }, [item.version]);

  const save = useMutation({
    mutationFn: (body: InventoryUpdate) => api<InventoryItemBody>(`/inventory/${item.id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(itemQuery(item.id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ['inventory'], predicate: (q) => q.queryKey[1] !== 'item' });
      setBaseItem(saved);
      setDraft(draftFromItem(saved));
      setCustom(customOf(saved));
      setMessage(t('common.saved'));
    },
  });

  const stale = save.error instanceof ApiError && save.error.code === 'stale';
  const reload = async () => {
    const fresh = await queryClient.fetchQuery({ ...itemQuery(item.id), staleTime: 0 });
    setBaseItem(fresh);
    setDraft(draftFromItem(fresh));
    setCustom(customOf(fresh));
    save.reset();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const body: InventoryUpdate = { version: baseItem.version, ...changedFields(base, draft) };
    if (baseItem.isCustom) {
      const c: NonNullable<InventoryUpdate['custom']> = {};
      if (custom.name.trim() !== baseItem.name) c.name = custom.name.trim();
      if (custom.vendor.trim() !== baseItem.vendor) c.vendor = custom.vendor.trim();
      if (nullIfBlank(custom.website) !== baseItem.website) c.website = nullIfBlank(custom.website);
      if (Object.keys(c).length > 0) body.custom = c;
    }
    save.mutate(body);
  };

  const fields = fieldsOf(save.error);
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        {!canEdit ? <Text c="dimmed">{t('item.readOnly')}</Text> : null}
        {item.isCustom ? (
          <Paper withBorder p="md">
            <CustomAppFields value={custom} onChange={(p) => setCustom((c) => ({ ...c, ...p }))} fields={fields} disabled={!canEdit} />
          </Paper>
        ) : null}
        <InventoryFieldsForm
          value={draft}
          onChange={(patch) => {
            setMessage(null);
            setDraft((d) => ({ ...d, ...patch }));
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

function sameCustom(a: CustomDraft, b: CustomDraft): boolean {
  return a.name === b.name && a.vendor === b.vendor && a.website === b.website;
}

function isEmpty(o: object): boolean {
  return Object.keys(o).length === 0;
}
