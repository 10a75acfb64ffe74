import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint } from '@forger/core';
import { ExitCode } from '../cli/exit-codes.js';
import { runCli } from '../cli/main.js';
import { resolveTrainConfig } from '../cli/train-flags.js';
import { reportError } from '../cli/report-error.js';
import { captureIo } from '../test-support/capture-io.js';
import { DEFAULT_HEALTH_THRESHOLDS } from './health-monitor.js';
import { readHealthLines, readMetrics } from './metrics-log.js';
import { RunError } from './run-error.js';
import { runTraining } from './training-run.js';

const tempRun = () => mkdtemp(join(tmpdir(), 'forger-health-'));
const TINY = ['train', '--backend', 'cpu', '--batch-size', '8', '--quiet', '--log-every', '1'];

/**
 * A condition a tiny run meets on purpose: "G loss runs away" with an early level of 3 lines and a limit of 0 (any
 * finite G loss is above it), confirmed after 10 lines. The stretch begins at step 3, the first line with an early
 * level; the run stops at step 12.
 */
const FORCED = { ...DEFAULT_HEALTH_THRESHOLDS, gLossEarlyLines: 3, gLossRunawayFactor: 0, gLossRunawayFloor: 0, gLossRunawayLines: 10 };

describe('forger train: training health', () => {
  it('warns in the progress output and metrics.jsonl, and goes on without --stop-on', async () => {
    const out = await tempRun();
    const io = captureIo();
    const config = resolveTrainConfig({ backend: 'cpu', batchSize: 8, out, quiet: true, steps: 14, logEvery: 1, checkpointEvery: 2 });
    const result = await runTraining(config, { io, healthThresholds: FORCED });
    expect(result).toMatchObject({ step: 14, interrupted: false });
    expect(io.out()).toMatch(/^ {2}health {7}1 warning: g-loss-runaway at step 12 \(metrics\.jsonl, report\.html\)$/m);
    expect(io.out()).toMatch(/^warning \(g-loss-runaway\): g_loss has stayed above 0 since step 3 \([\d.]+ at step 12; its early level was [\d.]+\)/m);
    const warnings = await readHealthLines(join(out, 'metrics.jsonl'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ step: 12, health: 'g-loss-runaway', metric: 'g_loss', since_step: 3 });
    // the warning lines are no metrics records
    expect((await readMetrics(join(out, 'metrics.jsonl'))).map((r) => r.step)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // the report lists what the run recorded
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('<li class="warning">g_loss has stayed above 0 since step 3');
  });

  it('with --stop-on stops at the condition, writes no final checkpoint and keeps the one from before it began', async () => {
    const out = await tempRun();
    const io = captureIo();
    const config = resolveTrainConfig({ backend: 'cpu', batchSize: 8, out, quiet: true, steps: 30, logEvery: 1, checkpointEvery: 2, stopOn: ['g-loss-runaway'] });
    const error = await runTraining(config, { io, healthThresholds: FORCED }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).code).toBe('unhealthy');
    const good = join(out, 'checkpoints', 'step-00000002.forger');
    expect((error as RunError).message).toMatch(
      new RegExp(`^stopped at step 12 on g-loss-runaway \\(--stop-on\\): g_loss has stayed above 0 since step 3 .*\\. The last good checkpoint is ${good} \\(step 2, before the condition began at step 3\\): resume from it`),
    );
    // checkpoints 4–10 came while the stretch was under way: 2, the last before it, outlives the 3 kept
    expect(await readdir(join(out, 'checkpoints'))).toEqual(['step-00000002.forger', 'step-00000006.forger', 'step-00000008.forger', 'step-00000010.forger']);
    expect(existsSync(join(out, 'final.forger'))).toBe(false);
    const checkpoint = decodeCheckpoint(await readFile(good));
    expect(checkpoint.training?.step).toBe(2);
    expect(checkpoint.generator.every((t) => checkpointTensorToFloat32(t).every(Number.isFinite))).toBe(true);
    expect(JSON.parse(checkpoint.training!.configJson)).toMatchObject({ stopOn: ['g-loss-runaway'] });
    // nothing was logged after the stop; the exit code of a run stopped on purpose is 4
    expect((await readMetrics(join(out, 'metrics.jsonl'))).at(-1)?.step).toBe(12);
    const cli = captureIo();
    expect(reportError(error, cli, 'train')).toBe(ExitCode.unhealthy);
    expect(cli.err()).toMatch(/^RunError: stopped at step 12 on g-loss-runaway/);
  });

  it('the good checkpoint resumes, and the resumed monitor goes on from the lines kept', async () => {
    const out = await tempRun();
    const config = resolveTrainConfig({ backend: 'cpu', batchSize: 8, out, quiet: true, steps: 30, logEvery: 1, checkpointEvery: 2, stopOn: ['g-loss-runaway'] });
    await expect(runTraining(config, { io: captureIo(), healthThresholds: FORCED })).rejects.toThrow(/stopped at step 12/);
    const io = captureIo();
    const code = await runCli([...TINY.slice(0, 1), '--resume', join(out, 'checkpoints', 'step-00000002.forger'), '--steps', '4', '--quiet', '--stop-on', 'd-loss-zero,g-loss-runaway,collapse'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(ExitCode.ok);
    // the warning at step 12 is gone with the steps after 2; the default thresholds see nothing in 4 steps
    expect(await readHealthLines(join(out, 'metrics.jsonl'))).toEqual([]);
    expect(decodeCheckpoint(await readFile(join(out, 'final.forger'))).training?.step).toBe(4);
  });

  it('a NaN loss is the nan condition: warning lines and exit 3, --stop-on or not (train.test.ts: without)', async () => {
    const out = await tempRun();
    const io = captureIo();
    expect(await runCli([...TINY, '--steps', '8', '--checkpoint-every', '2', '--inject-nan-at-step', '5', '--stop-on', 'nan,collapse', '--out', out], io)).toBe(ExitCode.diverged);
    expect(io.err()).toMatch(/RunError: d_loss is NaN at step 5: training diverged\. The last good checkpoint is .*step-00000004\.forger/);
    expect(io.out()).toContain('warning (nan): d_loss is NaN at step 5');
    expect((await readHealthLines(join(out, 'metrics.jsonl'))).map((w) => [w.health, w.metric, w.step, w.value])).toEqual([
      ['nan', 'd_loss', 5, null], ['nan', 'g_loss', 5, null],
    ]);
  });

  it('logs the spread of each sample grid beside the losses (sample steps are log steps)', async () => {
    const out = await tempRun();
    expect(await runCli([...TINY.slice(0, 6), '--log-every', '4', '--steps', '6', '--sample-every', '3', '--out', out], captureIo())).toBe(ExitCode.ok);
    const records = await readMetrics(join(out, 'metrics.jsonl'));
    expect(records.map((r) => [r.step, typeof r['sample_spread']])).toEqual([[3, 'number'], [4, 'undefined'], [6, 'undefined']]);
    expect(records[0]!['sample_spread']).toBeGreaterThan(0);
  });

  it('refuses an unknown condition with exit 2, naming the choices', async () => {
    const io = captureIo();
    expect(await runCli([...TINY, '--steps', '2', '--stop-on', 'd-loss-zero,modes', '--out', await tempRun()], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/"modes" is not a health condition: expected a comma list of nan, d-loss-zero, g-loss-runaway, collapse/);
  });
});
