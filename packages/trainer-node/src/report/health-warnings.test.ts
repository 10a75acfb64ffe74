import { describe, expect, it } from 'vitest';
import { healthWarnings, type MetricsLine } from './health-warnings.js';

const line = (step: number, dLoss: number | null, gLoss: number | null = 1): MetricsLine => ({ step, d_loss: dLoss, g_loss: gLoss, d_real: 0.6 });

describe('healthWarnings', () => {
  it('finds nothing in a healthy run', () => {
    expect(healthWarnings([line(100, 1.2), line(200, 0.9), line(300, 1.1)])).toEqual([]);
  });

  it('marks each non-finite value (null in metrics.jsonl) at its step', () => {
    const warnings = healthWarnings([line(100, 1.2), line(200, null, null), { step: 300, d_loss: Number.POSITIVE_INFINITY }]);
    expect(warnings.map((w) => [w.kind, w.metric, w.fromStep, w.toStep])).toEqual([
      ['non-finite', 'd_loss', 200, 200],
      ['non-finite', 'g_loss', 200, 200],
      ['non-finite', 'd_loss', 300, 300],
    ]);
    expect(warnings[2]!.message).toBe('d_loss is Infinity at step 300');
  });

  it('marks a stretch of D loss near 0, but not a shorter one', () => {
    const records = [
      line(10, 0.5), line(20, 0.01), line(30, 0.02), line(40, 0.5), // two lines: too short
      line(50, 0.01), line(60, 0.001), line(70, 0.03), line(80, 0.04), line(90, 0.02), line(100, 0.6),
    ];
    const warnings = healthWarnings(records, { nearZeroDLoss: 0.05, nearZeroLines: 5 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'discriminator-wins', metric: 'd_loss', fromStep: 50, toStep: 90 });
  });

  it('closes a stretch that lasts to the end of the log, with its own thresholds', () => {
    const records = [line(1, 0.3), line(2, 0.2), line(3, 0.1)];
    expect(healthWarnings(records)).toEqual([]);
    expect(healthWarnings(records, { nearZeroDLoss: 0.25, nearZeroLines: 2 })).toMatchObject([{ fromStep: 2, toStep: 3 }]);
  });

  it('by default wants D loss under 0.001 for 10 lines: the 0.005 to 0.05 of the first vanilla steps is no warning', () => {
    const early = Array.from({ length: 40 }, (_, i) => line(25 * (i + 1), 0.0054 + 0.001 * (i % 7)));
    expect(healthWarnings(early)).toEqual([]);
    const stuck = Array.from({ length: 10 }, (_, i) => line(100 * (i + 1), 0.0002));
    expect(healthWarnings(stuck)).toMatchObject([{ kind: 'discriminator-wins', fromStep: 100, toStep: 1000 }]);
    expect(healthWarnings(stuck.slice(1))).toEqual([]);
  });

  it('lists warnings in step order', () => {
    const records = [...Array.from({ length: 10 }, (_, i) => line(i + 1, 0.0001)), line(11, null)];
    expect(healthWarnings(records).map((w) => `${w.kind}@${w.fromStep}`)).toEqual(['discriminator-wins@1', 'non-finite@11']);
  });
});
