/** The audit trail of an inventory item: who did what, when, and each field's before → after. */
import { Badge, Card, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditEventBody, InstitutionBody } from '../../../contracts/api.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { useAuditLabels } from '../../lib/audit-labels.js';
import { useFormat } from '../../lib/format.js';
import { itemHistoryQuery } from './itemQueries.js';
import { isShownField, useChangeFormatter } from './useChangeFormatter.js';

export function HistoryList({ itemId, institution }: { itemId: string; institution: InstitutionBody | undefined }) {
  const { t } = useTranslation();
  const history = useQuery(itemHistoryQuery(itemId));
  if (history.isPending) return <Loading />;
  if (history.isError) return <ErrorAlert error={history.error} />;
  if (history.data.length === 0) return <Text c="dimmed">{t('history.empty')}</Text>;
  const events = [...history.data].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <Stack component="ol" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {events.map((event) => (
        <HistoryEvent key={event.id} event={event} institution={institution} />
      ))}
    </Stack>
  );
}

function HistoryEvent({ event, institution }: { event: AuditEventBody; institution: InstitutionBody | undefined }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const change = useChangeFormatter(institution);
  const labels = useAuditLabels();
  const actionKey = event.action.split('.').pop() ?? event.action;
  const action = i18n.exists(`history.action.${actionKey}`) ? t(`history.action.${actionKey}` as 'history.action.update') : event.action;
  const role = i18n.exists(`role.${event.actorRole}`) ? t(`role.${event.actorRole}` as 'role.site_admin') : event.actorRole;
  const changes = Object.entries(event.changes).filter(([field]) => isShownField(field));
  return (
    <Card component="li" withBorder padding="sm">
      <Group gap="xs" mb={changes.length ? 'xs' : 0}>
        <Badge variant="light">{action}</Badge>
        <Text size="sm" fw={500}>
          {t('history.by', { actor: labels.actor(event.actorLabel), role })}
        </Text>
        <Text size="sm" c="dimmed" component="time" dateTime={event.at}>
          {format.dateTime(event.at)}
        </Text>
      </Group>
      {changes.length > 0 ? (
        <Table.ScrollContainer minWidth={480}>
          <Table withTableBorder verticalSpacing={4} fz="sm">
            <Table.Caption className="visually-hidden">{t('history.changes')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('history.field')}</Table.Th>
                <Table.Th scope="col">{t('history.before')}</Table.Th>
                <Table.Th scope="col">{t('history.after')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map(([field, { before, after }]) => (
                <Table.Tr key={field}>
                  <Table.Th scope="row" fw={500}>
                    {change.fieldLabel(field)}
                  </Table.Th>
                  <Table.Td>
                    <del style={{ textDecoration: 'none' }}>{change.value(field, before)}</del>
                  </Table.Td>
                  <Table.Td>
                    <ins style={{ textDecoration: 'none' }}>{change.value(field, after)}</ins>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Card>
  );
}
