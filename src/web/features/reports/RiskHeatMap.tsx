/**
 * A likelihood × impact heat map drawn as a table: a screen reader reads each cell's row and
 * column headers, its count and its level; colour only repeats what the words say.
 */
import { Paper, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { riskLevel, type RiskLevel } from '../../../contracts/assessments.js';
import type { ReportChart as Chart } from '../../../contracts/reports.js';
import { useReportLabels } from './labels.js';

// Light tints with black text: every pair passes WCAG AA contrast.
const LEVEL_COLOURS: Record<RiskLevel, string> = { low: '#d3f9d8', medium: '#fff3bf', high: '#ffd8a8', critical: '#ffc9c9' };

export function RiskHeatMap({ chart, title }: { chart: Chart; title: string }) {
  const { t } = useTranslation();
  const labels = useReportLabels();
  const impactOf = (key: string) => Number(key.replace(/\D/g, ''));
  return (
    <Paper withBorder p="md" component="figure" m={0} aria-label={t('reports.chart.label', { title })}>
      <Title order={2} size="h4" mb="sm">
        {t('reports.heatmap.title')}
      </Title>
      <Table withTableBorder withColumnBorders data-testid="risk-heatmap" style={{ width: 'auto' }}>
        <Table.Caption>{t('reports.heatmap.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('reports.heatmap.corner')}</Table.Th>
            {chart.series.map((s) => (
              <Table.Th key={s.key} scope="col" style={{ textAlign: 'center' }}>
                {t('reports.heatmap.impact', { n: impactOf(s.key) })}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {chart.data.map((row) => {
            const likelihood = Number(row[chart.categoryKey]);
            return (
              <Table.Tr key={likelihood}>
                <Table.Th scope="row">{t('reports.heatmap.likelihood', { n: likelihood })}</Table.Th>
                {chart.series.map((s) => {
                  const level = riskLevel(likelihood, impactOf(s.key));
                  const count = Number(row[s.key] ?? 0);
                  return (
                    <Table.Td
                      key={s.key}
                      data-level={level}
                      style={{ background: LEVEL_COLOURS[level], color: '#000', textAlign: 'center', minWidth: 72 }}
                    >
                      <strong>{count}</strong>
                      <br />
                      <span style={{ fontSize: '0.8em' }}>{labels.value('level', level)}</span>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
