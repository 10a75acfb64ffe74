import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classHistogram } from '@forger/data';
import { loadDataset } from '@forger/data/node';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import type { EvalReport } from './eval.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

// wasm: the semi-supervised networks are too slow for seconds on the cpu backend, and wasm is always there
describe('forger eval', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'forger-eval-'));
    const io = captureIo();
    // improved-GAN (Salimans et al. 2016) on 100 labels, 40 steps: already far above chance
    const code = await runCli(
      ['train', '--model', 'ssgan', '--ssl-loss', 'improved', '--labeled-count', '100', '--steps', '40', '--batch-size', '32',
        '--backend', 'wasm', '--quiet', '--out', folder],
      io,
    );
    if (code !== 0) throw new Error(`ssgan fixture run failed:\n${io.out()}\n${io.err()}`);
  });

  it('reports test accuracy above chance with a confusion matrix over the held-out test images', async () => {
    const io = captureIo();
    expect(await runCli(['eval', '--checkpoint', join(folder, 'final.forger'), '--json', '--limit', '1000', '--backend', 'wasm'], io)).toBe(ExitCode.ok);
    // the checkpoint given as the first argument works as --checkpoint does (issue 17: one CLI grammar)
    const positional = captureIo();
    expect(await runCli(['eval', join(folder, 'final.forger'), '--json', '--limit', '1000', '--backend', 'wasm'], positional)).toBe(ExitCode.ok);
    expect(JSON.parse(positional.out())).toEqual(JSON.parse(io.out()));
    const report = JSON.parse(io.out()) as EvalReport;
    // progress goes to stderr (a line a tenth off a terminal), so --json output stays JSON
    expect(io.err()).toMatch(/^classifying: 1000\/1000 images \(100%\)/m);
    expect(report).toMatchObject({ dataset: 'mnist', split: 'test', count: 1000, backend: 'wasm' });
    // ten classes: chance is 10%
    expect(report.accuracy).toBeGreaterThan(0.3);
    expect(report.error).toBeCloseTo(1 - report.accuracy, 12);
    // rows are the true classes of the first 1000 test images, the diagonal the correct answers
    const test = await loadDataset('mnist', { split: 'test' });
    const rows = report.confusion.map((row) => row.reduce((a, b) => a + b, 0));
    expect(rows).toEqual(classHistogram({ labels: test.labels.subarray(0, 1000), numClasses: 10 }));
    expect(report.confusion.reduce((sum, row, i) => sum + row[i]!, 0) / 1000).toBeCloseTo(report.accuracy, 12);
  });

  it("classifies with the moving average of D's weights that training saved, or with the trained weights when asked", async () => {
    const run = async (weights: string[]): Promise<EvalReport> => {
      const io = captureIo();
      expect(await runCli(['eval', '--checkpoint', join(folder, 'final.forger'), '--json', '--limit', '500', '--backend', 'wasm', ...weights], io)).toBe(ExitCode.ok);
      return JSON.parse(io.out()) as EvalReport;
    };
    const average = await run([]);
    const trained = await run(['--weights', 'trained']);
    expect(average.weights).toBe('average');
    expect(trained.weights).toBe('trained');
    // two different networks: after 40 noisy steps their answers differ somewhere in 500 images
    expect(average.confusion).not.toEqual(trained.confusion);
    expect(trained.accuracy).toBeGreaterThan(0.3);
  });

  it('prints a readable table without --json', async () => {
    const io = captureIo();
    expect(await runCli(['eval', '--checkpoint', join(folder, 'final.forger'), '--limit', '200', '--backend', 'wasm'], io)).toBe(ExitCode.ok);
    expect(io.out()).toMatch(/on mnist test \(200 images, backend wasm, moving average of D's weights\)\naccuracy \d+\.\d\d%   error \d+\.\d\d%\n/);
    expect(io.out().trim().split('\n')).toHaveLength(3 + 1 + 10);
  });

  it('loads the semi-supervised checkpoint and its generator-only export in inspect', async () => {
    for (const file of ['final.forger', 'final.web.forger']) {
      const io = captureIo();
      expect(await runCli(['inspect', join(folder, file)], io)).toBe(ExitCode.ok);
      expect(io.out()).toMatch(/ssgan \(improved-gan\)/);
    }
  });

  it('trains the supervised baseline (same network, same labels, no generator) and evaluates it the same way', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-baseline-'));
    const train = captureIo();
    const code = await runCli(
      ['train', '--model', 'ssgan', '--ssl-loss', 'improved', '--labeled-count', '100', '--supervised-only', '--steps', '40',
        '--batch-size', '32', '--backend', 'wasm', '--quiet', '--out', out],
      train,
    );
    expect(code).toBe(ExitCode.ok);
    expect(train.out()).toMatch(/supervised baseline: improved-gan-classifier on 100 labeled mnist images/);
    const inspect = captureIo();
    expect(await runCli(['inspect', join(out, 'final.forger')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/classifier/);
    const io = captureIo();
    expect(await runCli(['eval', '--checkpoint', join(out, 'final.forger'), '--json', '--limit', '500', '--backend', 'wasm'], io)).toBe(ExitCode.ok);
    const report = JSON.parse(io.out()) as EvalReport;
    expect(report.count).toBe(500);
    expect(report.accuracy).toBeGreaterThan(0.3);
    expect(report.weights).toBe('average'); // scored as its GAN is
  });

  it('refuses a checkpoint whose discriminator is no classifier', async () => {
    const vanilla = await tinyVanillaRun();
    const io = captureIo();
    expect(await runCli(['eval', '--checkpoint', vanilla.final, '--backend', 'cpu'], io)).toBe(ExitCode.failure);
    expect(io.err()).toMatch(/is a vanilla checkpoint whose discriminator has no classes: eval needs an ssgan or classifier checkpoint/);
  });

  it('trains the SSGAN-Tensorflow recipe too, and resumes it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'forger-ssgan-'));
    const args = ['train', '--model', 'ssgan', '--labeled-count', '20', '--batch-size', '8', '--backend', 'wasm', '--quiet', '--out', out, '--log-every', '1'];
    const first = captureIo();
    expect(await runCli([...args, '--steps', '1'], first)).toBe(ExitCode.ok);
    const second = captureIo();
    expect(await runCli(['train', '--resume', join(out, 'final.forger'), '--steps', '2', '--quiet'], second)).toBe(ExitCode.ok);
    expect(second.out()).toMatch(/resuming .* at step 1: ssgan \(ssgan-tensorflow\)/);
    expect(second.out()).toMatch(/step 2\/2 /);
  });
});
