/** Pagination with a range summary; the page buttons are labelled for screen readers. */
import { Group, Pagination, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
}

export function Pager({ page, pageSize, total, onChange }: PagerProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" wrap="wrap" mt="md">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0 ? t('common.resultCount', { count: 0 }) : t('common.showingRange', { from, to, total })}
      </Text>
      {pages > 1 ? (
        <nav aria-label={t('common.pagination')}>
          <Pagination
            total={pages}
            value={page}
            onChange={onChange}
            getItemProps={(p) => ({ 'aria-label': t('common.page', { page: p }) })}
            getControlProps={(control) =>
              control === 'previous'
                ? { 'aria-label': t('common.previousPage') }
                : control === 'next'
                  ? { 'aria-label': t('common.nextPage') }
                  : {}
            }
          />
        </nav>
      ) : null}
    </Group>
  );
}
