/** `/assessments`: the institution's PIAs with their status and any master update. */
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading, PickInstitution } from '../../components/PageState.js';
import { useRequiredSession } from '../../lib/session.js';
import { assessmentsQuery } from './queries.js';

export function AssessmentListPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const list = useQuery({ ...assessmentsQuery(), enabled: Boolean(session.institution) });
  if (!session.institution) return <PickInstitution title={t('assessments.title')} />;
  return (
    <Stack>
      <Title order={1}>{t('assessments.title')}</Title>
      {list.isPending ? <Loading /> : list.isError ? <ErrorAlert error={list.error} /> : list.data.length === 0 ? <Text>{t('assessments.empty')}</Text> : (
        <Table striped captionSide="top">
          <Table.Caption>{t('assessments.listCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assessments.app')}</Table.Th>
              <Table.Th>{t('assessments.statusLabel')}</Table.Th>
              <Table.Th>{t('assessments.revisionShort')}</Table.Th>
              <Table.Th>{t('assessments.updateColumn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <AnchorLink to="/assessments/$assessmentId" params={{ assessmentId: a.id }}>
                    {a.appName}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`assessments.status.${a.status}`)}</Badge>
                </Table.Td>
                <Table.Td>{a.currentRevision}</Table.Td>
                <Table.Td>{a.update ? <Badge color="yellow" variant="light">{t('assessments.updateAvailable', { number: a.update.number })}</Badge> : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
