/**
 * Documents attached to an app of the inventory or to an assessment: the list (download, remove with
 * confirmation) and, for those who may change the record, a form to attach a file. Downloads are
 * plain links: the server always sends the file as a download.
 */
import { Anchor, Button, FileInput, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTACHMENT_KINDS,
  attachmentUploadQuerySchema,
  type AttachmentBody,
  type AttachmentKind,
  type AttachmentList,
  type AttachmentUploadQuery,
} from '../../../contracts/attachments.js';
import { ErrorAlert, Feedback, useOutcome } from '../../components/Feedback.js';
import { API_BASE, api, toQueryString } from '../../lib/api.js';
import { draftOn, errorOf, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { useFormat } from '../../lib/format.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';

type Owner = { kind: 'inventory'; id: string } | { kind: 'assessments'; id: string };

const ACCEPT =
  '.pdf,.docx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/png,image/jpeg';

export function AttachmentsPanel({ owner }: { owner: Owner }) {
  const { t } = useTranslation();
  const headingId = useId();
  const key = ['attachments', owner.kind, owner.id];
  const list = useQuery({ queryKey: key, queryFn: () => api<AttachmentList>(`/${owner.kind}/${owner.id}/attachments`) });
  const outcome = useOutcome();

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={headingId}>
          {t('attachments.title')}
        </Title>
        {list.isError ? <ErrorAlert error={list.error} /> : null}
        {list.data ? (
          <>
            <Text size="sm" c="dimmed">
              {t('attachments.intro', { megabytes: Math.round((list.data.maxBytes / 1024 / 1024) * 10) / 10 })}
            </Text>
            <Feedback success={outcome.success} error={outcome.error} />
            <AttachmentTable items={list.data.items} queryKey={key} onSaved={outcome.onSaved} onError={outcome.onError} />
            {list.data.canUpload ? (
              <WriteArea>
                <UploadForm owner={owner} queryKey={key} onSaved={outcome.onSaved} />
              </WriteArea>
            ) : null}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

function AttachmentTable({
  items,
  queryKey,
  onSaved,
  onError,
}: {
  items: AttachmentBody[];
  queryKey: string[];
  onSaved: (m: string) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!items.length) return <Text size="sm">{t('attachments.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={t('attachments.listLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('attachments.columns.name')}</Table.Th>
            <Table.Th scope="col">{t('attachments.columns.kind')}</Table.Th>
            <Table.Th scope="col">{t('attachments.columns.size')}</Table.Th>
            <Table.Th scope="col">{t('attachments.columns.expires')}</Table.Th>
            <Table.Th scope="col">{t('attachments.columns.added')}</Table.Th>
            <Table.Th scope="col">{t('attachments.columns.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.fileName}</Table.Td>
              <Table.Td>{t(`attachments.kinds.${a.kind}`)}</Table.Td>
              <Table.Td>{t('attachments.size', { value: Math.max(1, Math.round(a.byteSize / 1024)) })}</Table.Td>
              <Table.Td>{a.agreementExpiresOn ? format.date(a.agreementExpiresOn) : '—'}</Table.Td>
              <Table.Td>{format.dateTime(a.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Anchor
                    href={`${API_BASE}/attachments/${a.id}/download`}
                    download
                    aria-label={t('attachments.downloadLabel', { name: a.fileName })}
                  >
                    {t('attachments.download')}
                  </Anchor>
                  {a.canDelete ? (
                    <WriteArea>
                      <DeleteButton attachment={a} queryKey={queryKey} onSaved={onSaved} onError={onError} />
                    </WriteArea>
                  ) : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DeleteButton({
  attachment,
  queryKey,
  onSaved,
  onError,
}: {
  attachment: AttachmentBody;
  queryKey: string[];
  onSaved: (m: string) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api<void>(`/attachments/${attachment.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setOpened(false);
      await queryClient.invalidateQueries({ queryKey });
      onSaved(t('attachments.deleted', { name: attachment.fileName }));
    },
    onError,
  });
  return (
    <>
      <Button
        size="compact-sm"
        variant="subtle"
        color="red"
        onClick={() => setOpened(true)}
        aria-label={t('attachments.deleteLabel', { name: attachment.fileName })}
      >
        {t('attachments.delete')}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('attachments.deleteTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text>{t('attachments.deleteText', { name: attachment.fileName })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              {t('attachments.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

interface UploadDraft {
  file: File | null;
  kind: AttachmentKind;
  expiresOn: string;
}

/** The upload's query: the kind, the file's name, and an agreement's end when one is given. */
const uploadDraft = draftOn(attachmentUploadQuerySchema, ({ file, kind, expiresOn }: UploadDraft) => ({
  kind,
  fileName: file?.name ?? '',
  ...(kind === 'agreement' && expiresOn ? { agreementExpiresOn: expiresOn } : {}),
}));

const emptyUpload: UploadDraft = { file: null, kind: 'agreement', expiresOn: '' };

function UploadForm({ owner, queryKey, onSaved }: { owner: Owner; queryKey: string[]; onSaved: (m: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useContractForm(uploadDraft, { defaultValues: emptyUpload });
  const { file, kind } = form.watch();
  const upload = useMutation({
    mutationFn: ({ query, file: f }: { query: AttachmentUploadQuery; file: File }) =>
      api<AttachmentBody>(`/${owner.kind}/${owner.id}/attachments${toQueryString(query)}`, { method: 'POST', file: f }),
    onSuccess: async (created) => {
      form.reset({ ...emptyUpload, kind: form.getValues('kind') });
      await queryClient.invalidateQueries({ queryKey });
      // A dated agreement may have moved the app's own agreement end (and its version).
      if (created.kind === 'agreement' && created.agreementExpiresOn) await queryClient.invalidateQueries({ queryKey: ['inventory'] });
      onSaved(t('attachments.uploaded', { name: created.fileName }));
    },
    onError: (error) =>
      setServerErrors(form, error, (path) => (path === 'fileName' ? 'file' : path === 'agreementExpiresOn' ? 'expiresOn' : path)),
  });
  const { errors } = form.formState;
  const hasFieldErrors = Object.keys(flatErrors(errors)).length > 0;
  const onSubmit = form.handleSubmit((query) => {
    const picked = form.getValues('file');
    if (picked) upload.mutate({ query, file: picked });
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <FileInput
            label={t('attachments.file')}
            description={t('attachments.fileHint')}
            accept={ACCEPT}
            value={file}
            onChange={(f) => patchValues(form, { file: f })}
            clearable
            error={errorOf(errors, 'file') ?? errorOf(errors, 'fileName')}
          />
          <Select
            label={t('attachments.kind')}
            data={ATTACHMENT_KINDS.map((k) => ({ value: k, label: t(`attachments.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => patchValues(form, { kind: (v ?? 'agreement') as AttachmentKind })}
            allowDeselect={false}
            error={errorOf(errors, 'kind')}
          />
          {kind === 'agreement' ? (
            <TextInput
              type="date"
              label={t('attachments.expiresOn')}
              {...form.register('expiresOn')}
              error={errorOf(errors, 'expiresOn') ?? errorOf(errors, 'agreementExpiresOn')}
            />
          ) : null}
        </SimpleGrid>
        {upload.error && !hasFieldErrors ? <ErrorAlert error={upload.error} /> : null}
        <Group>
          <Button type="submit" disabled={!file} loading={upload.isPending}>
            {t('attachments.upload')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
