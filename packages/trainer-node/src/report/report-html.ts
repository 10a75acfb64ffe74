import { basename } from 'node:path';
import { FORGER_VERSION } from '../version.js';
import { chartGroups } from './chart-groups.js';
import { DEFAULT_HEALTH_THRESHOLDS as T } from '../run/health-monitor.js';
import { escapeHtml, inlineAsset, jsonForScript } from './html-escape.js';
import type { RunReportData } from './report-data.js';
import { reportPageScript, type ReportPageData } from './report-page.js';
import type { ChartAssets } from './uplot-assets.js';

/**
 * report.html as one string: uPlot, the page script, the data (grids as data: URIs) and the styles are inline,
 * and the Content-Security-Policy allows no request at all, so the file opens offline, from file://, anywhere.
 * Every text that comes from the run's files is escaped.
 */
export function renderReportHtml(data: RunReportData, assets: ChartAssets): string {
  const page: ReportPageData = {
    ...chartGroups(data.metrics),
    warnings: data.warnings,
    grids: data.grids.map((grid) => ({ label: grid.label, step: grid.step, src: `data:image/png;base64,${Buffer.from(grid.png).toString('base64')}` })),
  };
  const name = basename(data.folder);
  const spec = data.checkpoint?.spec;
  const last = data.metrics.at(-1);
  const subtitle = [
    spec ? `${spec.family} (${spec.variant})` : undefined,
    data.checkpoint?.provenance.dataset,
    last ? `${last.step} steps logged` : undefined,
    data.checkpoint?.provenance.backend ? `backend ${data.checkpoint.provenance.backend}` : undefined,
  ].filter((part) => part !== undefined).join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="forger ${escapeHtml(FORGER_VERSION)}">
<title>Forger run report: ${escapeHtml(name)}</title>
<style>${inlineAsset(assets.css, 'style')}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Forger run report: ${escapeHtml(name)}</h1>
<p class="subtitle">${escapeHtml(subtitle)}</p>
</header>
<main>
${healthSection(data)}
<div class="columns">
<section id="curves">
<h2>Curves</h2>
${data.metrics.length === 0 ? '<p>metrics.jsonl holds no lines yet.</p>' : '<div id="charts"></div>'}
</section>
${gridSection(data)}
</div>
${scoreSection(data)}
${configSection(data)}
</main>
<script type="application/json" id="report-data">${jsonForScript(page)}</script>
<script>${inlineAsset(assets.js, 'script')}</script>
<script>(${reportPageScript.toString()})();</script>
</body>
</html>
`;
}

function healthSection(data: RunReportData): string {
  const items = data.warnings.map((w) => `<li class="warning">${escapeHtml(w.message)}</li>`).join('\n');
  return `<section id="health">
<h2>Health</h2>
${data.warnings.length === 0
    ? `<p class="ok">No warnings recorded: every logged loss is finite, the discriminator loss never stays under ${T.dLossNearZero} for ` +
      `${T.dLossLines} logged lines in a row, the generator loss never stays above ${T.gLossRunawayFactor}× its early level and ` +
      `${T.gLossRunawayFloor} for ${T.gLossRunawayLines}, and the fixed-noise samples' spread, once at ${T.collapseSpreadRatio} of the real ` +
      `images' or more, never stays under it for ${T.collapseGrids} grids (a run from before the monitor records none).</p>`
    : `<ul>\n${items}\n</ul>\n<p>The red bands on the curves mark these steps.</p>`}
</section>`;
}

function gridSection(data: RunReportData): string {
  if (data.grids.length === 0) return '<section id="samples"><h2>Samples</h2><p>No sample grids in this run folder (yet: they come every --sample-every steps; a supervised baseline has none).</p></section>';
  return `<section id="samples">
<h2>Samples of the fixed noise</h2>
<p>The same latent vectors at every grid, so the change from grid to grid is the generator's training.</p>
<div class="grid-controls">
<button id="grid-play" type="button">▶ play</button>
<input id="grid-scrub" type="range" min="0" max="${data.grids.length - 1}" step="1" value="${data.grids.length - 1}" aria-label="sample grid">
<span id="grid-label"></span>
</div>
<img id="grid-image" alt="samples of the fixed noise">
</section>`;
}

function scoreSection(data: RunReportData): string {
  if (data.scores.length === 0) {
    return `<section id="score"><h2>Score</h2><p>Not scored yet: <code>forger score --checkpoint ${escapeHtml(data.folder)}/final.forger</code> writes final.score.json here.</p></section>`;
  }
  const rows = data.scores.map(({ file, report, stale }) => {
    const cell = (value: unknown, digits: number): string => (typeof value === 'number' ? value.toFixed(digits) : '?');
    const staleNote = stale ? ' <span class="warning">(stale: the checkpoint was rewritten after it was scored)</span>' : '';
    return `<tr><td>${escapeHtml(file)}${staleNote}</td><td>${cell(report.frechetDistance, 2)}</td><td>${cell(report.inceptionScore, 3)}</td>` +
      `<td>${cell(report.classBalanceGap, 3)}</td><td>${escapeHtml(String(report.count))}</td>` +
      `<td>${escapeHtml(`${report.reference?.count ?? '?'} ${report.reference?.dataset ?? '?'} test images`)}</td></tr>`;
  });
  return `<section id="score">
<h2>Score</h2>
<table>
<thead><tr><th>file</th><th>Fréchet distance (lower is better)</th><th>Inception score</th><th>class balance gap</th><th>samples</th><th>reference</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

function configSection(data: RunReportData): string {
  const checkpoint = data.checkpoint;
  const rows: [string, string][] = [];
  if (checkpoint) {
    const { provenance } = checkpoint;
    rows.push(
      ['checkpoint', checkpoint.path],
      ['written at', provenance.createdAt],
      ['Forger version', provenance.forgerVersion],
      ['backend', provenance.backend],
      ['dataset', provenance.dataset],
      ['model', `${checkpoint.spec.family} (${checkpoint.spec.variant})`],
      ['command', provenance.note],
    );
    if (checkpoint.step !== undefined) rows.push(['step', String(checkpoint.step)]);
    const seed = (checkpoint.config as { seed?: unknown } | undefined)?.seed;
    if (seed !== undefined) rows.push(['seed', String(seed)]);
  }
  const last = data.metrics.at(-1);
  if (last && typeof last['wall_time_s'] === 'number') rows.push(['training time', `${last['wall_time_s'].toFixed(1)} s`]);
  rows.push(['TensorBoard event files', data.eventFiles.length > 0 ? data.eventFiles.join(', ') : 'none']);
  rows.push(['report written at', data.generatedAt]);
  const table = rows.map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  const config = checkpoint?.config !== undefined ? `<h3>Config</h3>\n<pre>${escapeHtml(JSON.stringify(checkpoint.config, null, 2))}</pre>` : '';
  const problem = data.checkpointProblem ? `<p class="warning">The checkpoint could not be read: ${escapeHtml(data.checkpointProblem)}</p>` : '';
  return `<section id="provenance">
<h2>Provenance</h2>
${problem}
<table>
${table}
</table>
${config}
</section>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; background: #fff; }
header { padding: 16px 24px 4px; border-bottom: 1px solid #ddd; }
h1 { font-size: 20px; margin: 0 0 4px; }
.subtitle { color: #555; margin: 0 0 8px; }
main { padding: 0 24px 32px; max-width: 1400px; }
.columns { display: block; }
@media (min-width: 1250px) { .columns { display: grid; grid-template-columns: minmax(0, 1fr) 440px; gap: 32px; } }
h2 { font-size: 16px; margin: 24px 0 8px; }
.chart { margin-bottom: 16px; }
.chart-warnings, .warning { color: #b00; }
.ok { color: #276; }
.grid-controls { display: flex; align-items: center; gap: 12px; margin-bottom: 8px; }
#grid-scrub { flex: 1 1 160px; }
#grid-play, #grid-label { white-space: nowrap; }
#grid-image { image-rendering: pixelated; width: 420px; border: 1px solid #ccc; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; }
`;
