import { appendFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog, readHealthLines, readMetrics, type MetricsRecord } from './metrics-log.js';

function record(step: number): MetricsRecord {
  return { step, epoch: 0, d_loss: 1.2, g_loss: 0.7, d_real: 0.6, d_fake: 0.4, images_per_second: 3000, wall_time_s: step / 10 };
}

describe('MetricsLog', () => {
  it('appends one JSON object per line and reads them back', async () => {
    const log = new MetricsLog(join(await mkdtemp(join(tmpdir(), 'forger-metrics-')), 'metrics.jsonl'));
    await log.append(record(100));
    await log.append(record(200));
    expect(await readMetrics(log.path)).toEqual([record(100), record(200)]);
  });

  it('skips a line torn by kill -9 and drops the steps a resumed run trains again', async () => {
    const log = new MetricsLog(join(await mkdtemp(join(tmpdir(), 'forger-metrics-')), 'metrics.jsonl'));
    for (const step of [100, 200, 300]) await log.append(record(step));
    await appendFile(log.path, '{"step":400,"epo');
    expect((await readMetrics(log.path)).map((r) => r.step)).toEqual([100, 200, 300]);
    await log.truncateAfter(200);
    expect((await readMetrics(log.path)).map((r) => r.step)).toEqual([100, 200]);
  });

  it('keeps health warnings on lines of their own: not records, kept or dropped by step on resume', async () => {
    const log = new MetricsLog(join(await mkdtemp(join(tmpdir(), 'forger-metrics-')), 'metrics.jsonl'));
    const warning = (step: number) => ({ step, condition: 'nan' as const, metric: 'd_loss', sinceStep: step, value: Number.NaN, message: `d_loss is NaN at step ${step}` });
    await log.append(record(100));
    await log.appendWarning(warning(100));
    await log.append(record(200));
    await log.appendWarning(warning(200));
    expect((await readMetrics(log.path)).map((r) => r.step)).toEqual([100, 200]);
    expect(await readHealthLines(log.path)).toEqual([
      { step: 100, health: 'nan', metric: 'd_loss', since_step: 100, value: null, message: 'd_loss is NaN at step 100' },
      { step: 200, health: 'nan', metric: 'd_loss', since_step: 200, value: null, message: 'd_loss is NaN at step 200' },
    ]);
    await log.truncateAfter(100);
    expect((await readHealthLines(log.path)).map((w) => w.step)).toEqual([100]);
    expect((await readMetrics(log.path)).map((r) => r.step)).toEqual([100]);
  });

  it('reads a missing file as no records', async () => {
    expect(await readMetrics(join(tmpdir(), 'no-such-forger-metrics.jsonl'))).toEqual([]);
  });
});
