/** The row heading of a person in a table of people: their name, and "(you)" on the reader's own row. */
import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PersonCell({ name, self }: { name: string; self: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Th scope="row" fw={500}>
      {name}
      {self ? (
        <Text span c="dimmed" size="sm">
          {' '}
          ({t('users.you')})
        </Text>
      ) : null}
    </Table.Th>
  );
}
