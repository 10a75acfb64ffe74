import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint } from '@forger/core';
import { readMetrics } from '../run/metrics-log.js';
import { decodePng } from '../run/sample-png.js';
import { runTraining } from '../run/training-run.js';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { resolveTrainConfig } from './train-flags.js';

const tempRun = () => mkdtemp(join(tmpdir(), 'forger-train-'));

/** A vanilla GAN small enough for seconds on the cpu backend: batch 8, a handful of steps. */
function tinyTrain(out: string, ...extra: string[]): string[] {
  return ['train', '--backend', 'cpu', '--batch-size', '8', '--out', out, '--quiet', '--log-every', '2', ...extra];
}

describe('forger train', () => {
  it('writes checkpoints, sample grids, metrics.jsonl, the final checkpoint and its web export', async () => {
    const out = await tempRun();
    const io = captureIo();
    const code = await runCli(tinyTrain(out, '--steps', '6', '--checkpoint-every', '2', '--sample-every', '3'), io);
    expect(io.err()).toBe('');
    expect(code).toBe(ExitCode.ok);

    // the last 3 step checkpoints (2, 4; 6 is the final), loadable, with the training state of their step
    expect(await readdir(join(out, 'checkpoints'))).toEqual(['step-00000002.forger', 'step-00000004.forger']);
    const step4 = decodeCheckpoint(await readFile(join(out, 'checkpoints', 'step-00000004.forger')));
    expect(step4.training).toMatchObject({ step: 4, data: { dataset: 'mnist', nextIndex: 32 } });
    expect(step4.training!.optimizers.map((o) => o.network).sort()).toEqual(['discriminator', 'generator']);
    expect(JSON.parse(step4.training!.configJson)).toMatchObject({ model: 'vanilla', steps: 6, batchSize: 8 });

    const final = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    expect(final.training?.step).toBe(6);
    expect(final.provenance.backend).toBe('cpu');
    const web = decodeCheckpoint(await readFile(join(out, 'final.web.forger')));
    expect(web.discriminator).toEqual([]);
    expect(web.training).toBeUndefined();
    expect(web.generator.find((t) => t.name === 'dense_2/kernel')?.dtype).toBe('float16');

    // 8×8 grid of 28×28 digits with 1-pixel borders: 8·29 + 1 = 233 pixels a side, and not one flat colour
    expect(await readdir(join(out, 'samples'))).toEqual(['step-00000003.png']);
    const grid = decodePng(await readFile(join(out, 'final.png')));
    expect([grid.width, grid.height]).toEqual([233, 233]);
    const firstCell = grid.rgba.subarray((1 * grid.width + 1) * 4, (1 * grid.width + 29) * 4);
    expect(new Set(firstCell.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(5);

    // every --log-every steps, and at each grid (its line carries the grid's sample_spread…)
    const metrics = await readMetrics(join(out, 'metrics.jsonl'));
    expect(metrics.map((m) => m.step)).toEqual([2, 3, 4, 6]);
    expect(metrics.map((m) => m['sample_spread'] !== undefined)).toEqual([false, true, false, false]);
    // …and, on MNIST, how many classes the reference classifier sees among the grid's samples (1 to 10)
    expect(metrics.map((m) => m['sample_classes'] !== undefined)).toEqual([false, true, false, false]);
    expect(metrics[1]!['sample_classes']).toBeGreaterThanOrEqual(1);
    expect(metrics[1]!['sample_classes']).toBeLessThanOrEqual(10);
    for (const m of metrics) {
      expect(Object.keys(m)).toEqual(expect.arrayContaining(['step', 'epoch', 'd_loss', 'g_loss', 'd_real', 'd_fake', 'images_per_second', 'wall_time_s']));
      expect(m.d_real).toBeGreaterThan(0);
      expect(m.d_real).toBeLessThan(1);
      expect(m.images_per_second).toBeGreaterThan(0);
    }
    expect(io.out()).toMatch(/step 6\/6 epoch 0 d_loss \d/);
    expect(io.out()).toContain(`drop ${join(out, 'final.web.forger')} on the page`);
  });

  it.each([
    [['--model', 'biggan']],
    [['--steps', '-3']],
    [['--lr', 'NaN']],
    [['--optimizer', 'rmsprop']],
    [['--steps', '5', '--epochs', '1']],
    [['--model', 'vanilla', '--ssl-loss', 'improved']],
    [['--unknown']],
    [['extra-argument']],
  ])('refuses %j with exit code 2 and writes nothing', async (args) => {
    const parent = await tempRun();
    const out = join(parent, 'run');
    const io = captureIo();
    const code = await runCli(['train', '--out', out, '--backend', 'cpu', ...args], io);
    expect(code).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/error/);
    expect(io.out()).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a corrupt --resume file with its CheckpointError message, exit 1, and leaves the run folder untouched', async () => {
    const out = await tempRun();
    await runCli(tinyTrain(out, '--steps', '2', '--checkpoint-every', '2'), captureIo());
    const before = await readdir(out, { recursive: true });
    const bytes = await readFile(join(out, 'final.forger'));
    const corrupt = join(out, 'corrupt.forger');
    await writeFile(corrupt, bytes.subarray(0, bytes.length - 100));
    const io = captureIo();
    const code = await runCli(['train', '--resume', corrupt, '--steps', '4', '--backend', 'cpu'], io);
    expect(code).toBe(ExitCode.failure);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/^CheckpointError: /);
    expect((await readdir(out, { recursive: true })).sort()).toEqual([...before, 'corrupt.forger'].sort());
  });

  it('N steps, then --resume and M more, gives the same weights as N+M steps in one go', async () => {
    const whole = await tempRun();
    const split = await tempRun();
    expect(await runCli(tinyTrain(whole, '--steps', '8', '--seed', '7'), captureIo())).toBe(0);
    expect(await runCli(tinyTrain(split, '--steps', '5', '--seed', '7'), captureIo())).toBe(0);
    // the resumed run repeats only --steps: the rest comes from the checkpoint's stored flags
    const io = captureIo();
    expect(await runCli(['train', '--resume', join(split, 'final.forger'), '--steps', '8', '--quiet'], io)).toBe(0);
    expect(io.out()).toMatch(/resuming .* at step 5/);

    const a = decodeCheckpoint(await readFile(join(whole, 'final.forger')));
    const b = decodeCheckpoint(await readFile(join(split, 'final.forger')));
    expect(b.training?.step).toBe(8);
    expect(b.training?.data).toEqual(a.training?.data);
    expect(b.training?.rng).toEqual(a.training?.rng);
    for (const [x, y] of [...a.generator.map((t, i) => [t, b.generator[i]!]), ...a.discriminator.map((t, i) => [t, b.discriminator[i]!])]) {
      expect(y!.name).toBe(x!.name);
      expect(checkpointTensorToFloat32(y!)).toEqual(checkpointTensorToFloat32(x!));
    }
    expect(b.training!.optimizers.map((o) => o.iterations)).toEqual(a.training!.optimizers.map((o) => o.iterations));
    // the first part logs its last step (5); the resumed part goes on from there, no step listed twice
    expect((await readMetrics(join(split, 'metrics.jsonl'))).map((m) => m.step)).toEqual([2, 4, 5, 6, 8]);
  });

  it('stops on a NaN loss with exit code 3 and keeps the last good checkpoint', async () => {
    const out = await tempRun();
    const io = captureIo();
    const code = await runCli(tinyTrain(out, '--steps', '10', '--checkpoint-every', '2', '--inject-nan-at-step', '5'), io);
    expect(code).toBe(ExitCode.diverged);
    expect(io.err()).toMatch(/RunError: d_loss is NaN at step 6: training diverged\. The last good checkpoint is .*step-00000004\.forger/);
    expect(await readdir(join(out, 'checkpoints'))).toEqual(['step-00000002.forger', 'step-00000004.forger']);
    expect(existsSync(join(out, 'final.forger'))).toBe(false);
    const good = decodeCheckpoint(await readFile(join(out, 'checkpoints', 'step-00000004.forger')));
    expect(good.generator.every((t) => checkpointTensorToFloat32(t).every(Number.isFinite))).toBe(true);
  });

  it('on interrupt (Ctrl-C) finishes the step, writes a resumable final checkpoint and exits 0', async () => {
    const out = await tempRun();
    const interrupt = new AbortController();
    const io = captureIo(interrupt.signal);
    const config = resolveTrainConfig({ backend: 'cpu', batchSize: 8, out, quiet: true, steps: 1000, logEvery: 50 });
    const result = await runTraining(config, {
      io,
      afterStep: (step) => {
        if (step === 3) interrupt.abort();
      },
    });
    expect(result).toMatchObject({ step: 3, interrupted: true });
    expect(decodeCheckpoint(await readFile(join(out, 'final.forger'))).training?.step).toBe(3);
    expect(io.out()).toContain(`interrupted at step 3 of 1000: state saved.`);
    expect(io.out()).toContain(`forger train --resume ${join(out, 'final.forger')}`);
  });

  it('leaks no tensor: the engine holds as many tensors after step 100 as after step 10', async () => {
    const out = await tempRun();
    const counts = new Map<number, number>();
    const config = resolveTrainConfig({ backend: 'cpu', batchSize: 2, out, quiet: true, steps: 100, logEvery: 7, checkpointEvery: 30, sampleEvery: 45 });
    await runTraining(config, {
      io: captureIo(),
      afterStep: (step) => {
        if (step === 10 || step === 99) counts.set(step, tf.memory().numTensors);
      },
    });
    expect(counts.get(10)).toBeGreaterThan(0);
    expect(counts.get(99)).toBe(counts.get(10));
  });
});
