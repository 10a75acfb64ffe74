import { SAMPLE_CLASSES_METRIC, SAMPLE_SPREAD_METRIC } from '../run/health-monitor.js';
import type { MetricsLine } from '../run/metrics-log.js';
import type { ReportPageData } from './report-page.js';

/** Readable names of the four scalars every GAN family logs. */
const LABELS: Record<string, string> = {
  d_loss: 'D loss', g_loss: 'G loss', d_real: 'D(x)', d_fake: 'D(G(z))', images_per_second: 'images/s', [SAMPLE_SPREAD_METRIC]: 'sample spread ÷ real',
  [SAMPLE_CLASSES_METRIC]: 'classes among the samples',
};

/** Measured at sample grids only: the lines between are no gap in it, so its points are joined across them. */
const SPARSE = new Set([SAMPLE_SPREAD_METRIC, SAMPLE_CLASSES_METRIC]);

/** Logged, but not a curve worth a chart: the x axis is the step, epoch and wall time only count. */
const NOT_CHARTED = new Set(['step', 'epoch', 'wall_time_s']);

const GROUPS: { title: string; holds: (key: string) => boolean }[] = [
  { title: 'Losses', holds: (key) => key.endsWith('loss') },
  { title: 'Discriminator outputs: D(x), D(G(z)), accuracy', holds: (key) => key === 'd_real' || key === 'd_fake' || key.includes('accuracy') },
  { title: 'Gradient norms', holds: (key) => key.includes('gradient_norm') },
  { title: 'Fixed-noise samples: spread over the real images\' (the collapse check)', holds: (key) => key === SAMPLE_SPREAD_METRIC },
  { title: 'Fixed-noise samples: effective number of classes (the collapse check)', holds: (key) => key === SAMPLE_CLASSES_METRIC },
  { title: 'Throughput', holds: (key) => key === 'images_per_second' },
];

/**
 * The charts of report.html: the metrics of metrics.jsonl grouped by what they measure, each with one value per
 * logged step (null where a line lacks it or holds a non-finite value: uPlot leaves a gap). Metrics that fit no
 * group (a family's own scalars) share an "Other" chart.
 */
export function chartGroups(metrics: readonly MetricsLine[]): Pick<ReportPageData, 'steps' | 'charts'> {
  const keys: string[] = [];
  for (const line of metrics) for (const key of Object.keys(line)) if (!NOT_CHARTED.has(key) && !keys.includes(key)) keys.push(key);
  const steps = metrics.map((line) => line.step);
  const seriesOf = (key: string) => ({
    key,
    label: LABELS[key] ?? key,
    ...(SPARSE.has(key) ? { spanGaps: true } : {}),
    values: metrics.map((line) => {
      const value = line[key];
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    }),
  });
  const charts: ReportPageData['charts'] = [];
  const placed = new Set<string>();
  for (const group of GROUPS) {
    const members = keys.filter((key) => !placed.has(key) && group.holds(key));
    members.forEach((key) => placed.add(key));
    if (members.length > 0) charts.push({ title: group.title, series: members.map(seriesOf) });
  }
  const rest = keys.filter((key) => !placed.has(key));
  if (rest.length > 0) charts.push({ title: 'Other', series: rest.map(seriesOf) });
  return { steps, charts };
}
