/** Filters and sorting of the inventory list; every change goes to the URL search params. */
import { Button, Group, MultiSelect, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstitutionBody } from '../../../contracts/api.js';
import { AUDIENCES, DATA_ELEMENTS, GRADE_LEVELS, INVENTORY_SORTS, INVENTORY_STATUSES } from '../../../contracts/domain.js';
import { DATA_ELEMENT_GROUPS } from '../../lib/dataElementGroups.js';
import { joinList, splitList, type InventorySearch } from '../../routes/search.js';

interface InventoryFiltersProps {
  search: InventorySearch;
  institution: InstitutionBody | undefined;
  onChange: (patch: Partial<InventorySearch>) => void;
}

export function InventoryFilters({ search, institution, onChange }: InventoryFiltersProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(search.q ?? '');
  const pushText = useDebouncedCallback((q: string) => onChange({ q: q.trim() || undefined }), 300);
  useEffect(() => setText(search.q ?? ''), [search.q]);

  const grades = institution?.gradeLevels.length ? institution.gradeLevels : GRADE_LEVELS;
  const sensitive = new Set<string>(DATA_ELEMENTS.filter((e) => e.sensitive).map((e) => e.code));
  const dataElementOptions = DATA_ELEMENT_GROUPS.map((group) => ({
    group: t(`dataElementGroup.${group.key}`),
    items: group.elements.map((code) => ({
      value: code,
      label: sensitive.has(code) ? `${t(`dataElement.${code}`)} (${t('common.sensitive')})` : t(`dataElement.${code}`),
    })),
  }));
  const hasFilters = Boolean(search.q || search.status || search.grade || search.audience || search.dataElement || search.schoolId);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="inventory-filters-heading">
      <h2 id="inventory-filters-heading" className="visually-hidden">
        {t('inventory.filters')}
      </h2>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        <TextInput
          label={t('inventory.search')}
          placeholder={t('inventory.searchPlaceholder')}
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            pushText(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ q: text.trim() || undefined });
          }}
        />
        <MultiSelect
          label={t('inventory.status')}
          data={INVENTORY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={splitList(search.status)}
          onChange={(v) => onChange({ status: joinList(v) })}
          clearable
        />
        <MultiSelect
          label={t('inventory.grade')}
          data={grades.map((g) => ({ value: g, label: t(`grade.${g}`) }))}
          value={splitList(search.grade)}
          onChange={(v) => onChange({ grade: joinList(v) })}
          clearable
        />
        <Select
          label={t('inventory.audience')}
          placeholder={t('common.any')}
          data={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
          value={search.audience ?? null}
          onChange={(v) => onChange({ audience: v ?? undefined })}
          clearable
        />
        <MultiSelect
          label={t('inventory.dataElement')}
          data={dataElementOptions}
          value={splitList(search.dataElement)}
          onChange={(v) => onChange({ dataElement: joinList(v) })}
          searchable
          clearable
        />
        {institution && institution.schools.length > 0 ? (
          <Select
            label={t('inventory.school')}
            placeholder={t('common.any')}
            data={institution.schools.map((s) => ({ value: s.id, label: s.name }))}
            value={search.schoolId ?? null}
            onChange={(v) => onChange({ schoolId: v ?? undefined })}
            searchable
            clearable
          />
        ) : null}
      </SimpleGrid>
      <Group mt="md" align="flex-end" justify="space-between">
        <Group align="flex-end">
          <Select
            label={t('inventory.sortBy')}
            data={INVENTORY_SORTS.map((s) => ({ value: s, label: t(`inventory.sort.${s}`) }))}
            value={search.sort ?? 'name'}
            onChange={(v) => onChange({ sort: (v ?? 'name') as InventorySearch['sort'] })}
            allowDeselect={false}
            w={200}
          />
          <Select
            label={t('inventory.order')}
            data={[
              { value: 'asc', label: t('inventory.asc') },
              { value: 'desc', label: t('inventory.desc') },
            ]}
            value={search.order ?? 'asc'}
            onChange={(v) => onChange({ order: v === 'desc' ? 'desc' : 'asc' })}
            allowDeselect={false}
            w={160}
          />
        </Group>
        {hasFilters ? (
          <Button
            variant="subtle"
            onClick={() => {
              setText('');
              onChange({
                q: undefined,
                status: undefined,
                grade: undefined,
                audience: undefined,
                dataElement: undefined,
                schoolId: undefined,
              });
            }}
          >
            {t('inventory.clearFilters')}
          </Button>
        ) : null}
      </Group>
    </Paper>
  );
}
