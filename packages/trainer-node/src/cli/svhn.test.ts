import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { svhnMatFile } from '@forger/data/test-support/mat5-writer';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

// SVHN's cropped digits as Stanford distributes them: train_32x32.mat and test_32x32.mat, MATLAB v5 files whose
// variables are zlib-compressed (miCOMPRESSED), X uint8 32×32×3×N and y double with 10 for the digit 0.
describe('forger train --dataset svhn --data-dir D', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'forger-svhn-'));
    const digits = Array.from({ length: 40 }, (_, i) => i % 10);
    await writeFile(join(folder, 'train_32x32.mat'), svhnMatFile(digits, { compressed: true }));
    await writeFile(join(folder, 'test_32x32.mat'), svhnMatFile(digits.slice(0, 20), { compressed: true }));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('trains on the 32×32×3 digits and records the dataset', async () => {
    const out = join(folder, 'run');
    const io = captureIo();
    const code = await runCli(['train', '--model', 'vanilla', '--dataset', 'svhn', '--data-dir', folder, '--steps', '2', '--batch-size', '8', '--backend', 'wasm', '--quiet', '--out', out], io);
    expect(code, `${io.out()}\n${io.err()}`).toBe(ExitCode.ok);
    const checkpoint = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    expect(checkpoint.spec.image).toEqual({ height: 32, width: 32, channels: 3 });
    expect(checkpoint.provenance.dataset).toBe('svhn');
    expect(checkpoint.training?.step).toBe(2);
  }, 120_000);

  it('a truncated download is one line naming the file, and nothing is written', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'forger-svhn-broken-'));
    const whole = svhnMatFile([1, 2, 3], { compressed: true });
    await writeFile(join(broken, 'train_32x32.mat'), whole.subarray(0, whole.length - 50));
    const io = captureIo();
    const code = await runCli(['train', '--model', 'vanilla', '--dataset', 'svhn', '--data-dir', broken, '--steps', '1', '--backend', 'cpu', '--quiet', '--out', join(broken, 'run')], io);
    expect(code).not.toBe(ExitCode.ok);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/train_32x32\.mat: truncated: /);
    expect(existsSync(join(broken, 'run'))).toBe(false);
    await rm(broken, { recursive: true, force: true });
  });
});
