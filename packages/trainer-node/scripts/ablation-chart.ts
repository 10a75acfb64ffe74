/**
 * The ablation's bar chart as a standalone SVG (the README shows it): one panel per measure, one bar per arm at its
 * mean over seeds, each seed's value as a dot. Drawn by Vega-Lite, compiled and rendered headless by Vega in Node.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ArmSummary } from './ablation.js';

export async function renderAblationChart(arms: ArmSummary[], title: string): Promise<string> {
  const measures = [
    { key: 'frechetDistance', label: 'FID (lower is better)' },
    { key: 'inceptionScore', label: 'Inception score (higher is better)' },
    { key: 'minClassShare', label: 'smallest class share, % (10 = balanced)' },
  ] as const;
  const values = arms.flatMap((arm) =>
    measures.flatMap((m) => arm[m.key].map((v) => ({ arm: arm.arm, measure: m.label, value: m.key === 'minClassShare' ? 100 * v : v }))),
  );
  const order = arms.map((arm) => arm.arm);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures.map((m) => m.label) } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 220,
      height: { step: 16 },
      layer: [
        { mark: { type: 'bar', color: '#4c78a8' }, encoding: { y: { field: 'arm', type: 'nominal', sort: order, title: null, axis: { labelLimit: 240 } }, x: { aggregate: 'mean', field: 'value', type: 'quantitative', title: null } } },
        { mark: { type: 'point', color: '#222', filled: true, size: 18 }, encoding: { y: { field: 'arm', type: 'nominal', sort: order }, x: { field: 'value', type: 'quantitative' } } },
      ],
    },
    config: { font: 'sans-serif', background: 'white' },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
