/** `/inventory`: the institution's apps, filtered, sorted and paged from the URL search params. */
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { InventoryPageBody } from '../../../contracts/api.js';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { ButtonLink } from '../../components/links.js';
import { Pager } from '../../components/Pager.js';
import { Loading, PickInstitution } from '../../components/PageState.js';
import { api, toQueryString } from '../../lib/api.js';
import { useFlash } from '../../lib/flash.js';
import { useReadOnly } from '../lifecycle/ReadOnly.js';
import { useRequiredSession } from '../../lib/session.js';
import { useCurrentInstitution } from '../../lib/useInstitution.js';
import type { InventorySearch } from '../../routes/search.js';
import { InventoryFilters } from './InventoryFilters.js';
import { InventoryTable } from './InventoryTable.js';

const route = getRouteApi('/_app/inventory');
const PAGE_SIZE = 25;


export function InventoryListPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const readOnly = useReadOnly();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { institution } = useCurrentInstitution();
  const institutionId = session.institution?.id;
  const flash = useFlash();

  const list = useQuery({
    queryKey: ['inventory', 'list', institutionId, search],
    queryFn: ({ signal }) => api<InventoryPageBody>(`/inventory${toQueryString({ ...search, pageSize: PAGE_SIZE })}`, { signal }),
    enabled: Boolean(institutionId),
    placeholderData: keepPreviousData,
  });

  // A change of filters or sort starts again at the first page; the cursors hold only for the page they lead to.
  const update = (patch: Partial<InventorySearch>) =>
    void navigate({
      search: (prev) => ({ ...prev, ...patch, page: 'page' in patch ? patch.page : undefined, after: patch.after, before: patch.before }),
      replace: true,
    });
  // The next or previous page by the list's cursors (as cheap deep in the list as at its start); any
  // other page by its number.
  const goTo = (page: number) => {
    const shown = list.data;
    if (shown && page === shown.page + 1 && shown.nextCursor) update({ page, after: shown.nextCursor });
    else if (shown && page === shown.page - 1 && page > 1 && shown.prevCursor) update({ page, before: shown.prevCursor });
    else update({ page: page > 1 ? page : undefined });
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('inventory.title')}</Title>
        {session.abilities.manageInventory && institutionId ? (
          readOnly ? (
            <Button disabled>{t('inventory.add')}</Button>
          ) : (
            <ButtonLink to="/inventory/new">{t('inventory.add')}</ButtonLink>
          )
        ) : null}
      </Group>
      <Feedback success={flash} />
      {!institutionId ? (
        <PickInstitution />
      ) : (
        <>
          <InventoryFilters search={search} institution={institution} onChange={update} />
          {list.isError ? (
            <ErrorAlert error={list.error} />
          ) : list.isPending ? (
            <Loading />
          ) : list.data.items.length === 0 ? (
            <Text role="status">{t('inventory.empty')}</Text>
          ) : (
            <InventoryTable items={list.data.items} />
          )}
          {list.data ? (
            <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onChange={goTo} />
          ) : null}
        </>
      )}
    </Stack>
  );
}
