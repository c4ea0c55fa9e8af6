/** A report's chart (recharts): bars, stacked bars or a pie, with translated categories. */
import { Paper, Title } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import type { ReportChart as Chart } from '../../../contracts/reports.js';
import { useReportLabels } from './labels.js';
import { RiskHeatMap } from './RiskHeatMap.js';

// Colour-blind-safe palette (Okabe–Ito), dark enough against white.
export const CHART_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#6B6B00', '#000000'];

export function ReportChart({ chart, title }: { chart: Chart; title: string }) {
  if (chart.kind === 'heatmap') return <RiskHeatMap chart={chart} title={title} />;
  return <BarsOrPie chart={chart} title={title} />;
}

function BarsOrPie({ chart, title }: { chart: Chart; title: string }) {
  const { t } = useTranslation();
  const labels = useReportLabels();
  const data = chart.data.map((d) => ({ ...d, __name: labels.value(chart.categoryKey, String(d[chart.categoryKey])) }));
  const seriesName = (s: Chart['series'][number]) => labels.column(s);
  return (
    <Paper withBorder p="md" component="figure" m={0} aria-label={t('reports.chart.label', { title })}>
      <Title order={2} size="h4" mb="sm">
        {t('reports.chart.title')}
      </Title>
      {/* The chart's numbers as a table, for screen readers (the drawing itself is hidden from them). */}
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labels.column({ key: chart.categoryKey, label: chart.categoryKey })}</th>
            {chart.series.map((s) => (
              <th key={s.key} scope="col">
                {seriesName(s)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((d, i) => (
            <tr key={i}>
              <th scope="row">{d.__name}</th>
              {chart.series.map((s) => (
                <td key={s.key}>{String((d as Record<string, unknown>)[s.key] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div style={{ width: '100%', height: 320 }} data-testid="report-chart" aria-hidden="true">
        <ResponsiveContainer>
          {chart.kind === 'pie' ? (
            <PieChart accessibilityLayer={false}>
              <Pie data={data} dataKey={chart.series[0]!.key} nameKey="__name" outerRadius={110} label isAnimationActive={false}>
                {data.map((_, i) => (
                  <Cell key={i} fill={CHART_COLOURS[i % CHART_COLOURS.length]} />
                ))}
              </Pie>
              <Tooltip />
              <Legend />
            </PieChart>
          ) : (
            <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 48, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="__name"
                interval={0}
                angle={data.length > 8 ? -35 : 0}
                textAnchor={data.length > 8 ? 'end' : 'middle'}
                height={data.length > 8 ? 80 : 30}
              />
              <YAxis allowDecimals={false} />
              <Tooltip />
              {chart.series.length > 1 ? <Legend /> : null}
              {chart.series.map((s, i) => (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={seriesName(s)}
                  fill={CHART_COLOURS[i % CHART_COLOURS.length]}
                  stackId={chart.kind === 'stacked-bar' ? 'a' : undefined}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
    </Paper>
  );
}
