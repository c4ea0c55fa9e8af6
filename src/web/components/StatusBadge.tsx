import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InventoryStatus } from '../../contracts/domain.js';

const COLORS: Record<InventoryStatus, string> = {
  requested: 'gray',
  in_review: 'blue',
  approved: 'green',
  approved_with_conditions: 'teal',
  not_approved: 'red',
  needs_review: 'orange',
  retired: 'dark',
};

/** An inventory status as a coloured badge (colour is never the only cue: the label is the text). */
export function StatusBadge({ status }: { status: InventoryStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light">
      {t(`status.${status}`)}
    </Badge>
  );
}
