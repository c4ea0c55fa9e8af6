/** A list page's table: loading, error and empty states, then a striped table with a caption for screen readers. */
import { Table, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from './Feedback.js';
import { Loading } from './PageState.js';

/** A column heading; one only screen readers need (an actions column) is visually hidden. */
export type ListColumn = string | { label: string; visuallyHidden: true };

interface ListTableProps<T> {
  query: UseQueryResult<T[]>;
  caption: string;
  empty: string;
  minWidth: number;
  /** The column headings. */
  columns: readonly ListColumn[];
  /** The body rows. */
  children: (items: T[]) => ReactNode;
}

export function ListTable<T>({ query, caption, empty, minWidth, columns, children }: ListTableProps<T>) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (query.data.length === 0) return <Text c="dimmed">{empty}</Text>;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped verticalSpacing="sm">
        <Table.Caption className="visually-hidden">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) =>
              typeof column === 'string' ? (
                <Table.Th key={column} scope="col">
                  {column}
                </Table.Th>
              ) : (
                <Table.Th key={column.label} scope="col">
                  <span className="visually-hidden">{column.label}</span>
                </Table.Th>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children(query.data)}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
