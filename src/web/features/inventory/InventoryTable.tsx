/** The inventory as a table: name (link to the item), vendor, grades, status, next review. */
import { Badge, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InventoryItemBody } from '../../../contracts/api.js';
import { AnchorLink } from '../../components/links.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useFormat, today } from '../../lib/format.js';
import { formatGradeRanges } from '../../lib/grades.js';

export function InventoryTable({ items }: { items: InventoryItemBody[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const now = today();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption className="visually-hidden">{t('inventory.tableCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('inventory.columns.name')}</Table.Th>
            <Table.Th scope="col">{t('inventory.columns.vendor')}</Table.Th>
            <Table.Th scope="col">{t('inventory.columns.grades')}</Table.Th>
            <Table.Th scope="col">{t('inventory.columns.status')}</Table.Th>
            <Table.Th scope="col">{t('inventory.columns.nextReview')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const overdue = item.nextReviewOn !== null && item.nextReviewOn < now && item.status !== 'retired';
            return (
              <Table.Tr key={item.id}>
                <Table.Th scope="row" fw={500}>
                  <Group gap="xs" wrap="nowrap">
                    <AnchorLink to="/inventory/$itemId" params={{ itemId: item.id }}>
                      {item.name}
                    </AnchorLink>
                    {item.isCustom ? (
                      <Badge variant="outline" color="gray" size="xs">
                        {t('inventory.custom')}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Th>
                <Table.Td>{item.vendor || '—'}</Table.Td>
                <Table.Td>{formatGradeRanges(item.grades, (g) => t(`gradeShort.${g}`))}</Table.Td>
                <Table.Td>
                  <StatusBadge status={item.status} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm">{format.date(item.nextReviewOn)}</Text>
                    {overdue ? (
                      <Badge color="orange" variant="light" size="xs">
                        {t('inventory.overdue')}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
