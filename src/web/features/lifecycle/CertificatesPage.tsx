/** `/deletion-certificates` (platform admins): the proof of each purge, to read and download. */
import { Anchor, Badge, Button, Code, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeletionCertificateBody } from '../../../contracts/lifecycle.js';
import { ListTable } from '../../components/ListTable.js';
import { NotPermitted } from '../../components/PageState.js';
import { API_BASE } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';
import { certificatesQuery } from './api.js';

const rowsOf = (c: DeletionCertificateBody) => Object.values(c.tableCounts).reduce((a, b) => a + b, 0);

export function CertificatesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useRequiredSession();
  const allowed = session.abilities.manageInstitutions;
  const list = useQuery({ ...certificatesQuery, enabled: allowed });
  const [open, setOpen] = useState<DeletionCertificateBody | null>(null);
  if (!allowed) return <NotPermitted />;
  return (
    <Stack>
      <Title order={1}>{t('lifecycle.certificates.title')}</Title>
      <Text c="dimmed">{t('lifecycle.certificates.intro')}</Text>
      <ListTable
        query={list}
        caption={t('lifecycle.certificates.title')}
        empty={t('lifecycle.certificates.empty')}
        minWidth={720}
        columns={[
          t('lifecycle.certificates.institution'),
          t('lifecycle.certificates.region'),
          t('lifecycle.certificates.endOfService'),
          t('lifecycle.certificates.completed'),
          t('lifecycle.certificates.rows'),
          { label: t('users.actions'), visuallyHidden: true },
        ]}
      >
        {(items) =>
          items.map((c) => (
            <Table.Tr key={c.certificateId}>
              <Table.Th scope="row" fw={500}>
                {c.institutionName}
              </Table.Th>
              <Table.Td>{t(`region.${c.region as 'ca'}`)}</Table.Td>
              <Table.Td>{format.dateTime(c.endOfServiceAt)}</Table.Td>
              <Table.Td>
                {c.purgeCompletedAt ? (
                  format.dateTime(c.purgeCompletedAt)
                ) : (
                  <Badge color="orange" variant="light">
                    {t('lifecycle.certificates.inProgress')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{format.number(rowsOf(c))}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="default"
                  aria-label={t('lifecycle.certificates.viewFor', { name: c.institutionName })}
                  onClick={() => setOpen(c)}
                >
                  {t('lifecycle.certificates.view')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListTable>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={open ? t('lifecycle.certificates.detailTitle', { name: open.institutionName }) : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {open ? <Certificate certificate={open} /> : null}
      </Modal>
    </Stack>
  );
}

function Certificate({ certificate: c }: { certificate: DeletionCertificateBody }) {
  const { t } = useTranslation();
  const format = useFormat();
  const facts: [string, React.ReactNode][] = [
    [t('lifecycle.certificates.certificateId'), <Code key="id">{c.certificateId}</Code>],
    [t('lifecycle.certificates.institutionId'), <Code key="inst">{c.institutionId}</Code>],
    [t('lifecycle.certificates.region'), t(`region.${c.region as 'ca'}`)],
    [t('lifecycle.certificates.endOfService'), format.dateTime(c.endOfServiceAt)],
    [t('lifecycle.certificates.purgeStarted'), format.dateTime(c.purgeStartedAt)],
    [
      t('lifecycle.certificates.completed'),
      c.purgeCompletedAt ? format.dateTime(c.purgeCompletedAt) : t('lifecycle.certificates.inProgress'),
    ],
    [t('lifecycle.certificates.tablesVerified'), String(c.tablesVerified)],
    [t('lifecycle.certificates.archivesRemoved'), String(c.archivesRemoved)],
    [t('lifecycle.certificates.mailFilesRemoved'), String(c.mailFilesRemoved)],
    [t('lifecycle.certificates.keyDestroyed'), c.keyDestroyed ? t('common.yes') : t('common.no')],
    [t('lifecycle.certificates.mailed'), c.mailed ? t('common.yes') : t('common.no')],
    [
      t('lifecycle.certificates.digest'),
      c.digest ? (
        <Code key="digest" style={{ wordBreak: 'break-all' }}>
          {c.digest}
        </Code>
      ) : (
        '—'
      ),
    ],
  ];
  return (
    <Stack>
      <Table variant="vertical" withTableBorder>
        <Table.Tbody>
          {facts.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={240}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4" id="cert-tables">
        {t('lifecycle.certificates.tableCounts')}
      </Title>
      <Table striped aria-labelledby="cert-tables">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('lifecycle.certificates.table')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('lifecycle.certificates.count')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Object.entries(c.tableCounts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([table, n]) => (
              <Table.Tr key={table}>
                <Table.Td>
                  <Code>{table}</Code>
                </Table.Td>
                <Table.Td ta="right">{format.number(n)}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      <Anchor href={`${API_BASE}/deletion-certificates/${c.certificateId}/download`} download fw={600}>
        {t('lifecycle.certificates.download')}
      </Anchor>
    </Stack>
  );
}
