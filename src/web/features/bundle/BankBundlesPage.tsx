/** `/bank-bundles` (platform admins): the region's bank bundles — publish one (primary region) or apply an uploaded one. */
import { Button, Code, FileInput, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Feedback, useOutcome } from '../../components/Feedback.js';
import { ListTable } from '../../components/ListTable.js';
import { NotPermitted } from '../../components/PageState.js';
import { bundleImportSchema } from '../../../contracts/bundle.js';
import { draftOn, errorOf, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { useFormat } from '../../lib/format.js';
import { useRequiredSession } from '../../lib/session.js';
import { applyBundle, bundleStatusQuery, publishBundle } from './api.js';

/** The file picked, read as the bundle's text (its signature covers every byte). */
const uploadDraft = draftOn(bundleImportSchema, async ({ file }: { file: File | null }) => ({ document: file ? await file.text() : '' }));

export function BankBundlesPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const session = useRequiredSession();
  const client = useQueryClient();
  const status = useQuery({ ...bundleStatusQuery, enabled: session.abilities.manageCatalog });
  // The same answer, its list of bundles for the table.
  const rows = useQuery({ ...bundleStatusQuery, enabled: session.abilities.manageCatalog, select: (d) => d.bundles });
  const outcome = useOutcome();
  const form = useContractForm(uploadDraft, { defaultValues: { file: null } });
  const file = form.watch('file');
  const refresh = () => void client.invalidateQueries({ queryKey: bundleStatusQuery.queryKey });
  const publish = useMutation({
    mutationFn: publishBundle,
    onSuccess: (r) => {
      outcome.onSaved(t('regionCells.published', { sequence: r.sequence }));
      refresh();
    },
    onError: outcome.onError,
  });
  const apply = useMutation({
    mutationFn: ({ document }: { document: string }) => applyBundle(document),
    onSuccess: (r) => {
      outcome.onSaved(t('regionCells.applied', { sequence: r.sequence, count: r.newVersions }));
      form.reset({ file: null });
      refresh();
    },
    onError: (error) => {
      setServerErrors(form, error);
      outcome.onError(error);
    },
  });

  if (!session.abilities.manageCatalog) return <NotPermitted />;
  const s = status.data;
  const fileError = errorOf(form.formState.errors, 'document');

  return (
    <Stack gap="lg">
      <Title order={1}>{t('regionCells.title')}</Title>
      <Text>{t('regionCells.intro')}</Text>
      {s ? (
        <Stack gap={4}>
          <Text fw={500}>{t('regionCells.deployment', { region: t(`region.${s.region as 'ca' | 'us'}`), code: s.region })}</Text>
          <Text>{s.signingKeyId ? t('regionCells.primary', { keyId: s.signingKeyId }) : t('regionCells.notPrimary')}</Text>
          <Text>
            {s.trustedKeyIds.length ? t('regionCells.trusted', { keys: s.trustedKeyIds.join(', ') }) : t('regionCells.noTrusted')}
          </Text>
          <Text>{s.pullUrl ? t('regionCells.pull', { url: s.pullUrl, cron: s.pullCron }) : t('regionCells.noPull')}</Text>
        </Stack>
      ) : null}
      <Feedback error={fileError ? null : outcome.error} success={outcome.success} />
      {s?.signingKeyId ? (
        <Group>
          <Button onClick={() => publish.mutate()} loading={publish.isPending}>
            {t('regionCells.publish')}
          </Button>
        </Group>
      ) : null}
      {s && !s.signingKeyId ? (
        <form noValidate onSubmit={form.handleSubmit((body) => apply.mutate(body))}>
          <Group align="flex-end">
            <FileInput
              label={t('regionCells.upload')}
              description={t('regionCells.uploadHint')}
              accept="application/json,.json"
              value={file}
              onChange={(f) => patchValues(form, { file: f })}
              error={fileError}
              w={420}
            />
            <Button type="submit" disabled={!file} loading={apply.isPending}>
              {t('regionCells.apply')}
            </Button>
          </Group>
        </form>
      ) : null}
      <Title order={2} size="h3">
        {t('regionCells.history')}
      </Title>
      <ListTable
        query={rows}
        caption={t('regionCells.history')}
        empty={t('regionCells.none')}
        minWidth={720}
        columns={[
          t('regionCells.sequence'),
          t('regionCells.direction'),
          t('regionCells.at'),
          t('regionCells.keyId'),
          t('regionCells.digest'),
        ]}
      >
        {(items) =>
          items.map((b) => (
            <Table.Tr key={b.id}>
              <Table.Th scope="row">{b.sequence}</Table.Th>
              <Table.Td>{t(`regionCells.${b.direction}`)}</Table.Td>
              <Table.Td>{fmt.dateTime(b.at)}</Table.Td>
              <Table.Td>
                <Code>{b.keyId}</Code>
              </Table.Td>
              <Table.Td>
                <Code>{b.contentDigest.slice(0, 16)}…</Code>
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListTable>
    </Stack>
  );
}
