/** A searchable select of catalog apps (searched on the server as you type). */
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogAppBody } from '../../../contracts/api.js';
import { catalogListQuery } from '../../lib/catalog.js';

interface CatalogPickerProps {
  value: CatalogAppBody | null;
  onChange: (app: CatalogAppBody | null) => void;
  error?: string | undefined;
}

const label = (app: CatalogAppBody) => (app.vendor ? `${app.name} — ${app.vendor}` : app.name);

export function CatalogPicker({ value, onChange, error }: CatalogPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value ? label(value) : '');
  const [debounced] = useDebouncedValue(search, 250);
  // While the search shows the picked app's label, list around its name instead.
  const q = value && debounced === label(value) ? value.name : debounced.trim();
  const list = useQuery({ ...catalogListQuery({ q: q || undefined, pageSize: 20 }), placeholderData: keepPreviousData });

  const apps = new Map<string, CatalogAppBody>();
  if (value) apps.set(value.id, value);
  for (const app of list.data?.items ?? []) apps.set(app.id, app);

  return (
    <Select
      label={t('item.catalogApp')}
      placeholder={t('item.catalogAppPlaceholder')}
      searchable
      clearable
      required
      data={[...apps.values()].map((app) => ({ value: app.id, label: label(app) }))}
      filter={({ options }) => options}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => onChange(id ? (apps.get(id) ?? null) : null)}
      nothingFoundMessage={list.isFetching ? t('common.loading') : t('item.catalogNothing')}
      error={error}
      maxDropdownHeight={320}
    />
  );
}
