/** One report: filters, chart, table, and XLSX/CSV downloads of exactly what is shown. */
import { Button, Group, MultiSelect, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIENCES, INVENTORY_STATUSES } from '../../../contracts/domain.js';
import { cellOf, REPORT_IDS, REPORT_PARAMS, type ReportId, type ReportResult } from '../../../contracts/reports.js';
import { ErrorAlert } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { API_BASE, api, toQueryString } from '../../lib/api.js';
import { sortGrades } from '../../lib/grades.js';
import { useRequiredSession } from '../../lib/session.js';
import { useCurrentInstitution } from '../../lib/useInstitution.js';
import { useReportLabels } from './labels.js';
import { ReportChart } from './ReportChart.js';

interface Filters {
  schoolId: string | null;
  grade: string[];
  audience: string[];
  status: string[];
  days: number;
}
const EMPTY: Filters = { schoolId: null, grade: [], audience: [], status: [], days: 60 };

export function ReportPage() {
  const { t } = useTranslation();
  const { reportId } = useParams({ strict: false }) as { reportId: string };
  const session = useRequiredSession();
  if (!(REPORT_IDS as readonly string[]).includes(reportId)) return <NotPermitted />;
  if (!session.institution) return <PickInstitution title={t('reports.list.title')} />;
  if (session.abilities.manageInstitutions) return <NotPermitted />;
  return <ReportView id={reportId as ReportId} />;
}

function ReportView({ id }: { id: ReportId }) {
  const { t, i18n } = useTranslation();
  const labels = useReportLabels();
  const { institution } = useCurrentInstitution();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // Every run of a report is counted. The report runs once the filters have settled for a moment,
  // so typing "120" days or ticking three grades in a row is one run, not one per keystroke or click.
  const [applied] = useDebouncedValue(filters, 400);
  const hasDays = REPORT_PARAMS[id].includes('days');
  const params = {
    schoolId: applied.schoolId ?? undefined,
    grade: applied.grade,
    audience: applied.audience,
    status: applied.status,
    days: hasDays ? applied.days : undefined,
  };
  const query = useQuery({
    queryKey: ['report', id, params],
    queryFn: () => api<ReportResult>(`/reports/${id}${toQueryString(params)}`),
    placeholderData: keepPreviousData,
  });
  const title = labels.title(id, query.data?.title ?? id);
  const downloadUrl = (format: 'xlsx' | 'csv') =>
    `${API_BASE}/reports/${id}/download${toQueryString({ ...params, format, lang: i18n.language.startsWith('fr') ? 'fr' : 'en' })}`;

  return (
    <Stack>
      <AnchorLink to="/reports">{t('reports.list.title')}</AnchorLink>
      <Title order={1}>{title}</Title>
      <Text c="dimmed">{t(`reports.descriptions.${id}`)}</Text>
      <Paper withBorder p="md" component="section" aria-labelledby="report-filters">
        <Title order={2} size="h4" id="report-filters" mb="sm">
          {t('reports.filters.title')}
        </Title>
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('reports.filters.school')}
            placeholder={t('reports.filters.allSchools')}
            data={(institution?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={filters.schoolId}
            onChange={(v) => setFilters((f) => ({ ...f, schoolId: v }))}
            clearable
            w={220}
          />
          <MultiSelect
            label={t('reports.filters.grade')}
            data={sortGrades(institution?.gradeLevels ?? []).map((g) => ({ value: g, label: t(`grade.${g}`) }))}
            value={filters.grade}
            onChange={(v) => setFilters((f) => ({ ...f, grade: v }))}
            clearable
            w={260}
          />
          <MultiSelect
            label={t('reports.filters.audience')}
            data={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
            value={filters.audience}
            onChange={(v) => setFilters((f) => ({ ...f, audience: v }))}
            clearable
            w={240}
          />
          <MultiSelect
            label={t('reports.filters.status')}
            data={INVENTORY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={filters.status}
            onChange={(v) => setFilters((f) => ({ ...f, status: v }))}
            clearable
            w={260}
          />
          {hasDays ? (
            <NumberInput
              label={t('reports.filters.days')}
              min={1}
              max={730}
              value={filters.days}
              onChange={(v) => setFilters((f) => ({ ...f, days: typeof v === 'number' && v >= 1 ? Math.min(v, 730) : 60 }))}
              w={160}
            />
          ) : null}
          <Button variant="default" onClick={() => setFilters(EMPTY)}>
            {t('reports.filters.clear')}
          </Button>
        </Group>
      </Paper>
      <Group aria-label={t('reports.download.label')} role="group">
        <Button component="a" href={downloadUrl('xlsx')} download>
          {t('reports.download.xlsx')}
        </Button>
        <Button component="a" href={downloadUrl('csv')} variant="default" download>
          {t('reports.download.csv')}
        </Button>
      </Group>
      {query.error ? <ErrorAlert error={query.error} /> : null}
      {query.isPending ? <Loading /> : null}
      {query.data ? <ReportBody result={query.data} title={title} /> : null}
    </Stack>
  );
}

function ReportBody({ result, title }: { result: ReportResult; title: string }) {
  const { t } = useTranslation();
  const labels = useReportLabels();
  return (
    <>
      <ReportChart chart={result.chart} title={title} />
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover withTableBorder stickyHeader data-testid="report-table">
          <Table.Caption>{t('reports.table.caption', { title, count: result.rows.length })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {result.columns.map((c) => (
                <Table.Th key={c.key} scope="col">
                  {labels.column(c)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.rows.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={result.columns.length}>{t('reports.table.empty')}</Table.Td>
              </Table.Tr>
            ) : (
              result.rows.map((row, i) => (
                <Table.Tr key={typeof row.id === 'string' ? row.id : i}>
                  {result.columns.map((c) => (
                    <Table.Td key={c.key} ta={c.kind === 'number' || c.kind === 'check' ? 'center' : undefined}>
                      {c.kind === 'check' && cellOf(c, row) === true ? (
                        <>
                          <span aria-hidden="true">✓</span>
                          <span className="visually-hidden">{t('reports.table.tick')}</span>
                        </>
                      ) : (
                        labels.cell(c, cellOf(c, row))
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
