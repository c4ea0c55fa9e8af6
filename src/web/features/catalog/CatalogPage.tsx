/** `/catalog`: search the operator's catalog, see an app's details, add it to the inventory. */
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogAppBody } from '../../../contracts/api.js';
import { APP_CATEGORIES } from '../../../contracts/domain.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { Pager } from '../../components/Pager.js';
import { Loading } from '../../components/PageState.js';
import { catalogListQuery } from '../../lib/catalog.js';
import { useRequiredSession } from '../../lib/session.js';
import type { CatalogSearch } from '../../routes/search.js';
import { CatalogAppForm } from './CatalogAppForm.js';
import { CatalogCard } from './CatalogCard.js';
import { CatalogDrawer } from './CatalogDrawer.js';

const route = getRouteApi('/_app/catalog');
const PAGE_SIZE = 24;

export function CatalogPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [text, setText] = useState(search.q ?? '');
  const [editing, setEditing] = useState<{ app: CatalogAppBody | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setText(search.q ?? ''), [search.q]);

  const update = (patch: Partial<CatalogSearch>, resetPage = true) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch, ...(resetPage ? { page: undefined } : {}) }), replace: true });
  const pushText = useDebouncedCallback((q: string) => update({ q: q.trim() || undefined }), 300);

  const list = useQuery({
    ...catalogListQuery({ q: search.q, category: search.category, page: search.page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const canAdd = session.abilities.manageInventory && Boolean(session.institution);
  const canEdit = session.abilities.manageCatalog;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('catalog.title')}</Title>
        {canEdit ? <Button onClick={() => setEditing({ app: null })}>{t('catalog.newApp')}</Button> : null}
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('catalog.search')}
          placeholder={t('catalog.searchPlaceholder')}
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            pushText(e.currentTarget.value);
          }}
          w={320}
        />
        <Select
          label={t('catalog.category')}
          placeholder={t('catalog.allCategories')}
          data={APP_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          value={search.category ?? null}
          onChange={(v) => update({ category: v ?? undefined })}
          clearable
          searchable
          w={260}
        />
      </Group>
      <Feedback success={message} />
      {list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.isPending ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Text role="status">{t('catalog.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.data.items.map((app) => (
            <CatalogCard key={app.id} app={app} canAdd={canAdd} onOpen={() => update({ app: app.id }, false)} />
          ))}
        </SimpleGrid>
      )}
      {list.data ? (
        <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onChange={(page) => update({ page }, false)} />
      ) : null}
      <CatalogDrawer
        appId={search.app}
        onClose={() => update({ app: undefined }, false)}
        canAdd={canAdd}
        canEdit={canEdit}
        onEdit={(app) => setEditing({ app })}
      />
      <CatalogAppForm
        opened={editing !== null}
        app={editing?.app ?? null}
        onClose={() => setEditing(null)}
        onSaved={(app, created) => {
          setEditing(null);
          setMessage(created ? t('catalog.created') : t('catalog.updated'));
          update({ app: app.id }, false);
        }}
      />
    </Stack>
  );
}
