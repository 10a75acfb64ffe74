import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEALTH_THRESHOLDS, HEALTH_CONDITIONS, HealthMonitor, parseHealthConditions, type HealthInput, type HealthWarning,
} from './health-monitor.js';

/** A run's metrics.jsonl records (warning lines left out), rounded: 10,000 steps logged every 100, seed 42, wasm. */
const metricsOf = (file: string): HealthInput[] => readFileSync(new URL(`../test-support/${file}`, import.meta.url), 'utf8')
  .trim().split('\n').map((line) => JSON.parse(line) as HealthInput);
/** Forger's vanilla recipe, `pnpm turbo train`: with the spread and the class count of its grids. */
const healthyRun = metricsOf('vanilla-default-metrics.jsonl');
/** The chapter's classic vanilla recipe, `--recipe classic` (the default before issue 16), which slides to a few classes. */
const classicRun = metricsOf('vanilla-classic-metrics.jsonl');

const line = (step: number, values: Record<string, number | null>): HealthInput => ({ step, d_real: 0.6, d_fake: 0.4, ...values });

function watch(records: readonly HealthInput[], monitor = new HealthMonitor()): HealthWarning[] {
  return records.flatMap((record) => monitor.observe(record));
}

describe('HealthMonitor on two real runs', () => {
  it('stays quiet over the default vanilla run: its grids draw 6.8 to 8.9 effective classes', () => {
    expect(healthyRun).toHaveLength(100);
    const classes = healthyRun.map((r) => r['sample_classes']).filter((c) => c !== undefined);
    expect(classes).toHaveLength(9);
    expect(Math.min(...(classes as number[]))).toBe(6.761);
    expect(watch(healthyRun)).toEqual([]);
  });

  it('over the classic recipe: no loss warning for its D loss (down to 0.0058) and G loss (up to 9.0), but its slide from 6.1 classes to 4.4 is a collapse', () => {
    expect(classicRun).toHaveLength(100);
    expect(Math.min(...classicRun.map((r) => r['d_loss'] as number))).toBe(0.005782);
    expect(Math.max(...classicRun.map((r) => r['g_loss'] as number))).toBe(8.9716);
    // its spread stays near the real images' (0.74–0.80 after step 2,000): the spread alone sees nothing
    expect(watch(classicRun.map(({ sample_classes: _, ...rest }) => rest))).toEqual([]);
    expect(watch(classicRun).map((w) => [w.condition, w.metric, w.sinceStep, w.step, w.value])).toEqual([['collapse', 'sample_classes', 7000, 9000, 4.808]]);
  });
});

describe('nan', () => {
  it('warns at once for each non-finite loss (null in metrics.jsonl), and leaves other fields alone', () => {
    const warnings = watch([line(1, { d_loss: 1.2, g_loss: 0.7 }), line(2, { d_loss: null, g_loss: Number.POSITIVE_INFINITY, supervised_loss: Number.NaN, images_per_second: Number.POSITIVE_INFINITY })]);
    expect(warnings.map((w) => [w.condition, w.metric, w.step, w.sinceStep])).toEqual([
      ['nan', 'd_loss', 2, 2], ['nan', 'g_loss', 2, 2], ['nan', 'supervised_loss', 2, 2],
    ]);
    expect(warnings.map((w) => w.message)).toEqual(['d_loss is NaN at step 2', 'g_loss is Infinity at step 2', 'supervised_loss is NaN at step 2']);
  });
});

describe('d-loss-zero', () => {
  const stuck = (from: number, count: number, value = 0.0002): HealthInput[] =>
    Array.from({ length: count }, (_, i) => line(from + 100 * i, { d_loss: value, g_loss: 5 }));

  it('fires once D loss has stayed under 0.001 for 10 logged lines, from the stretch\'s first step', () => {
    const warnings = watch([line(100, { d_loss: 0.5, g_loss: 2 }), ...stuck(200, 12)]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ condition: 'd-loss-zero', metric: 'd_loss', sinceStep: 200, step: 1100, value: 0.0002 });
    expect(warnings[0]!.message).toMatch(/^d_loss has stayed under 0\.001 since step 200 \(10 logged lines; 0\.0002 at step 1100\)/);
  });

  it('stays quiet for a shorter stretch, or one at the early 0.005 to 0.05 of the default run', () => {
    expect(watch(stuck(100, 9))).toEqual([]);
    expect(watch([...stuck(100, 9), line(1000, { d_loss: 0.3, g_loss: 2 }), ...stuck(1100, 9)])).toEqual([]);
    expect(watch(Array.from({ length: 40 }, (_, i) => line(25 * (i + 1), { d_loss: 0.0054 + 0.001 * (i % 7), g_loss: 5 })))).toEqual([]);
  });

  it('warns anew for a second stretch after a healthy line', () => {
    const warnings = watch([...stuck(100, 10), line(1100, { d_loss: 0.4, g_loss: 2 }), ...stuck(1200, 10)]);
    expect(warnings.map((w) => [w.sinceStep, w.step])).toEqual([[100, 1000], [1200, 2100]]);
  });

  it('takes its thresholds from the monitor', () => {
    const monitor = new HealthMonitor({ ...DEFAULT_HEALTH_THRESHOLDS, dLossNearZero: 0.25, dLossLines: 2 });
    expect(watch([line(1, { d_loss: 0.3 }), line(2, { d_loss: 0.2 }), line(3, { d_loss: 0.1 })], monitor)).toMatchObject([{ sinceStep: 2, step: 3 }]);
  });
});

describe('g-loss-runaway', () => {
  const early = Array.from({ length: 10 }, (_, i) => line(100 * (i + 1), { d_loss: 0.5, g_loss: 2 + (i % 3) }));

  it('fires when G loss stays above both twice its early level and 10 for 10 lines', () => {
    const rising = Array.from({ length: 12 }, (_, i) => line(1100 + 100 * i, { d_loss: 0.3, g_loss: 11 + i }));
    const warnings = watch([...early, ...rising]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ condition: 'g-loss-runaway', metric: 'g_loss', sinceStep: 1100, step: 2000, value: 20 });
    expect(warnings[0]!.message).toContain('its early level was 3');
  });

  it('stays quiet when the loss is high from the start (twice the early level is the bar), or under 10, or comes back', () => {
    const highFromStart = Array.from({ length: 30 }, (_, i) => line(100 * (i + 1), { d_loss: 0.1, g_loss: 12 + (i % 4) }));
    expect(watch(highFromStart)).toEqual([]);
    const underFloor = Array.from({ length: 20 }, (_, i) => line(1100 + 100 * i, { d_loss: 0.1, g_loss: 9.5 }));
    expect(watch([...early, ...underFloor])).toEqual([]);
    const spikes = Array.from({ length: 30 }, (_, i) => line(1100 + 100 * i, { d_loss: 0.1, g_loss: i % 5 === 4 ? 3 : 15 }));
    expect(watch([...early, ...spikes])).toEqual([]);
  });
});

describe('collapse', () => {
  const grid = (step: number, spread: number): HealthInput => line(step, { d_loss: 0.5, g_loss: 3, sample_spread: spread });

  it('fires when the spread falls under 0.5 of the real images\' and stays there for 3 grids', () => {
    const warnings = watch([grid(1000, 0.39), grid(2000, 0.6), grid(3000, 0.75), grid(4000, 0.3), line(4500, { d_loss: 0.5, g_loss: 3 }), grid(5000, 0.1), grid(6000, 0.05)]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ condition: 'collapse', metric: 'sample_spread', sinceStep: 4000, step: 6000, value: 0.05 });
  });

  it('stays quiet for a generator that has not yet drawn varied samples (its first blobs), or a two-grid dip', () => {
    expect(watch([grid(100, 0.17), grid(200, 0.17), grid(300, 0.2), grid(400, 0.3)])).toEqual([]);
    expect(watch([grid(1000, 0.7), grid(2000, 0.3), grid(3000, 0.2), grid(4000, 0.6), grid(5000, 0.4)])).toEqual([]);
  });
});

describe('collapse onto a few classes', () => {
  const limit = DEFAULT_HEALTH_THRESHOLDS.collapseClasses;
  const grid = (step: number, classes: number, spread = 0.75): HealthInput => line(step, { d_loss: 0.5, g_loss: 3, sample_spread: spread, sample_classes: classes });

  it('fires when the class count falls under the limit for 3 grids, though the spread stays high', () => {
    const warnings = watch([grid(1000, 1, 0.3), grid(2000, limit + 2), grid(3000, limit + 1), grid(4000, 2.4), grid(5000, 2.1), line(5500, { d_loss: 0.5, g_loss: 3 }), grid(6000, 1.9)]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ condition: 'collapse', metric: 'sample_classes', sinceStep: 4000, step: 6000, value: 1.9 });
    expect(warnings[0]!.message).toMatch(/onto a few classes: .* since step 4000 \(3 grids; 1\.9 at step 6000\)/);
  });

  it('stays quiet for a generator that never drew many classes, however varied its pixels (an untrained one\'s noise)', () => {
    expect(watch([grid(2, 1.3, 0.9), grid(4, 1.6, 0.9), grid(6, 2, 0.9), grid(8, 1.8, 0.9)])).toEqual([]);
  });

  it('stays quiet for an untrained generator\'s blobs (one "class", no spread), and over a two-grid dip', () => {
    expect(watch([grid(1000, 1, 0.17), grid(2000, 1.2, 0.2), grid(3000, 1.5, 0.3), grid(4000, 2, 0.4)])).toEqual([]);
    expect(watch([grid(1000, limit + 3), grid(2000, 2), grid(3000, 2), grid(4000, limit + 1), grid(5000, 2)])).toEqual([]);
  });

  it('is a stretch --stop-on collapse protects checkpoints from', () => {
    const monitor = new HealthMonitor();
    monitor.observe(grid(1000, 9));
    monitor.observe(grid(2000, 2));
    expect(monitor.pendingSince(new Set(['collapse'] as const))).toBe(2000);
  });
});

describe('pendingSince', () => {
  it('is the start of a stretch under way of a condition asked about, warned of yet or not', () => {
    const monitor = new HealthMonitor();
    const conditions = new Set(['d-loss-zero'] as const);
    monitor.observe(line(100, { d_loss: 0.5, g_loss: 2 }));
    expect(monitor.pendingSince(conditions)).toBeUndefined();
    monitor.observe(line(200, { d_loss: 0.0001, g_loss: 2 }));
    monitor.observe(line(300, { d_loss: 0.0001, g_loss: 2 }));
    expect(monitor.pendingSince(conditions)).toBe(200);
    expect(monitor.pendingSince(new Set(['collapse'] as const))).toBeUndefined();
    monitor.observe(line(400, { d_loss: 0.2, g_loss: 2 }));
    expect(monitor.pendingSince(conditions)).toBeUndefined();
  });
});

describe('parseHealthConditions', () => {
  it('reads a comma list of the conditions, once each', () => {
    expect(parseHealthConditions('d-loss-zero, collapse,d-loss-zero')).toEqual(['d-loss-zero', 'collapse']);
    expect(parseHealthConditions(HEALTH_CONDITIONS.join(','))).toEqual([...HEALTH_CONDITIONS]);
  });

  it('refuses an unknown name or an empty list, naming the choices', () => {
    expect(() => parseHealthConditions('d-loss-zero,mode-collapse')).toThrow('"mode-collapse" is not a health condition: expected a comma list of nan, d-loss-zero, g-loss-runaway, collapse.');
    expect(() => parseHealthConditions(',')).toThrow(/expected a comma list of nan, d-loss-zero/);
  });
});
