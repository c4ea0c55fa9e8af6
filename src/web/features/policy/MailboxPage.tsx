/** `/mailbox`: the operator reads the email the service sent, in embedded mode (no mail server). */
import { Button, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MailboxItemBody, MailboxMessageBody } from '../../../contracts/mail.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { Loading } from '../../components/PageState.js';
import { api, ApiError } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';

export function MailboxPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['mailbox'],
    queryFn: () => api<{ items: MailboxItemBody[]; total: number }>('/operator/mailbox?pageSize=100'),
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  return (
    <Stack gap="md">
      <Title order={1}>{t('privacyPolicy.mailbox.title')}</Title>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        list.error instanceof ApiError && list.error.status === 404 ? <Text>{t('privacyPolicy.mailbox.unavailable')}</Text> : <ErrorAlert error={list.error} />
      ) : (
        <>
          <Text>{t('privacyPolicy.mailbox.intro')}</Text>
          {list.data.items.length === 0 ? (
            <Text>{t('privacyPolicy.mailbox.empty')}</Text>
          ) : (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('privacyPolicy.mailbox.to')}</Table.Th>
                  <Table.Th scope="col">{t('privacyPolicy.mailbox.subject')}</Table.Th>
                  <Table.Th scope="col">{t('privacyPolicy.mailbox.status')}</Table.Th>
                  <Table.Th scope="col">{t('privacyPolicy.mailbox.sentAt')}</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">{t('privacyPolicy.mailbox.open')}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{m.recipient}</Table.Td>
                    {/* The mail as it was sent, in its recipient's language. */}
                    <Table.Td data-mail-content>{m.subject}</Table.Td>
                    <Table.Td>{t(`privacyPolicy.mailbox.statuses.${m.status}`)}</Table.Td>
                    <Table.Td>{m.sentAt ? fmt.dateTime(m.sentAt) : ''}</Table.Td>
                    <Table.Td>
                      <Button data-mail-content variant="subtle" size="compact-sm" onClick={() => setOpen(m.id)} aria-label={`${t('privacyPolicy.mailbox.open')}: ${m.subject}`}>
                        {t('privacyPolicy.mailbox.open')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
      {open ? <MailModal id={open} onClose={() => setOpen(null)} /> : null}
    </Stack>
  );
}

function MailModal({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['mailbox', id], queryFn: () => api<MailboxMessageBody>(`/operator/mailbox/${id}`) });
  return (
    <Modal opened onClose={onClose} title={q.data?.subject ?? t('privacyPolicy.mailbox.title')} size="lg" closeButtonProps={{ 'aria-label': t('privacyPolicy.mailbox.close') }}>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} />
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('privacyPolicy.mailbox.to')}: {q.data.recipient}
          </Text>
          {q.data.text ? (
            <Text component="pre" style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>
              {q.data.text}
            </Text>
          ) : (
            <Text>{t('privacyPolicy.mailbox.noText')}</Text>
          )}
        </Stack>
      )}
    </Modal>
  );
}
