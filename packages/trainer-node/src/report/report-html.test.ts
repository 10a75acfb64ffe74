import type { ModelSpec } from '@forger/core';
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from './html-escape.js';
import type { RunReportData } from './report-data.js';
import { renderReportHtml } from './report-html.js';

const HOSTILE = `</script><script>alert("x")</script><!-- <b>&'`;

function hostileRun(): RunReportData {
  return {
    folder: `/runs/${HOSTILE}`,
    metrics: [
      { step: 1, epoch: 0, d_loss: 1, g_loss: 2, d_real: 0.5, d_fake: 0.5, [HOSTILE]: 3 },
      { step: 2, epoch: 0, d_loss: null, g_loss: 2, d_real: 0.5, d_fake: 0.5, [HOSTILE]: 4 },
    ],
    warnings: [{ kind: 'nan', metric: HOSTILE, fromStep: 2, toStep: 2, message: `${HOSTILE} is NaN` }],
    grids: [{ label: 'final', step: 2, png: Uint8Array.of(1, 2, 3) }],
    checkpoint: {
      path: `/runs/${HOSTILE}/final.forger`,
      spec: { family: 'vanilla', variant: HOSTILE } as ModelSpec,
      provenance: { createdAt: '2026-01-01T00:00:00Z', forgerVersion: '0.1.0', backend: 'cpu', dataset: HOSTILE, metrics: {}, note: `forger train --out ${HOSTILE}` },
      step: 2,
      config: { out: HOSTILE },
    },
    scores: [],
    eventFiles: [],
    generatedAt: '2026-01-01T00:00:01Z',
  };
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(hostileRun(), { js: 'window.uPlot = function () {};', css: '.u {}' });

  it('escapes every text from the run, so no file can add an element or end a script', () => {
    // exactly the three scripts of the template: the data, uPlot, the page script
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<b>');
    expect(html).toContain(escapeHtml(`forger train --out ${HOSTILE}`));
  });

  it('embeds the data as JSON that parses back to the same strings and numbers', () => {
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(json) as { steps: number[]; charts: { series: { key: string; values: (number | null)[] }[] }[]; warnings: { message: string }[]; grids: { src: string }[] };
    expect(data.steps).toEqual([1, 2]);
    const losses = data.charts[0]!.series;
    expect(losses.map((s) => s.key)).toEqual(['d_loss', 'g_loss']);
    expect(losses[0]!.values).toEqual([1, null]);
    expect(data.charts.at(-1)!.series[0]).toEqual({ key: HOSTILE, label: HOSTILE, values: [3, 4] });
    expect(data.warnings[0]!.message).toBe(`${HOSTILE} is NaN`);
    expect(data.grids[0]!.src).toBe('data:image/png;base64,AQID');
  });

  it('allows no network request: the Content-Security-Policy has no source but data: images and inline code', () => {
    expect(html).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  });
});

describe('jsonForScript', () => {
  it('leaves no "<" and keeps the value', () => {
    const value = { a: '</script>', b: '<!--', c: '\u2028\u2029' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
