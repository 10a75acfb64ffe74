import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { ExitCode } from './exit-codes.js';
import { parseStoredConfig, resolveTrainConfig } from './train-flags.js';
import { forger, parseTrainFlags } from '../test-support/run-cli.js';

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

describe('forger train --hidden-units', () => {
  it("defaults to two layers (128, 256) for Forger's vanilla, the chapter's one of 128 for classic, and is absent for the other families", () => {
    expect(resolveTrainConfig(parseTrainFlags([])).hiddenUnits).toEqual([128, 256]);
    expect(resolveTrainConfig(parseTrainFlags(['--recipe', 'classic'])).hiddenUnits).toEqual([128]);
    expect(resolveTrainConfig(parseTrainFlags(['--hidden-units', '256'])).hiddenUnits).toEqual([256]);
    expect(resolveTrainConfig(parseTrainFlags(['--hidden-units', '64,32,16'])).hiddenUnits).toEqual([64, 32, 16]);
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan']))).not.toHaveProperty('hiddenUnits');
    for (const bad of ['0', '128,', '128,0', '128;256', 'x', '1.5']) {
      expect(() => parseTrainFlags(['--hidden-units', bad]), bad).toThrow(/expected whole numbers ≥ 1 separated by commas/);
    }
  });

  it("resumes a checkpoint that stored one width (before the list) as that one layer, and refuses another", () => {
    const stored = parseStoredConfig(JSON.stringify({ ...resolveTrainConfig(parseTrainFlags(['--recipe', 'classic'])), hiddenUnits: 128 }), 'old.forger');
    expect(resolveTrainConfig(parseTrainFlags(['--hidden-units', '128']), stored).hiddenUnits).toEqual([128]);
    expect(() => resolveTrainConfig(parseTrainFlags(['--hidden-units', '128,256']), stored)).toThrow(/--hidden-units 128,256 differs from the checkpoint's 128/);
  });

  it('sizes both MLPs, is recorded and shown by inspect, and is refused if changed on resume', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-hidden-'));
    const out = join(folder, 'run');
    const trained = await forger('train', '--backend', 'cpu', '--batch-size', '8', '--steps', '2', '--hidden-units', '24', '--out', out, '--quiet', '--checkpoint-every', '2', '--sample-every', '2');
    expect(trained.code, trained.err).toBe(ExitCode.ok);
    const checkpoint = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    const shapeOf = (name: string): number[] | undefined => checkpoint.generator.find((t) => t.name === name)?.shape ?? checkpoint.discriminator?.find((t) => t.name === name)?.shape;
    expect(checkpoint.generator.find((t) => t.name === 'dense_1/kernel')?.shape).toEqual([32, 24]); // z of 32: Forger's vanilla recipe
    expect(checkpoint.generator.find((t) => t.name === 'dense_2/kernel')?.shape).toEqual([24, 784]);
    expect(checkpoint.discriminator?.find((t) => t.name === 'dense_1/kernel')?.shape).toEqual([784, 24]);
    expect(shapeOf('dense_2/bias')).toEqual([784]);
    const inspected = await forger('inspect', join(out, 'final.forger'));
    expect(inspected.out).toMatch(/hidden-units 24/);
    const resumed = await forger('train', '--backend', 'cpu', '--resume', join(out, 'final.forger'), '--steps', '3', '--hidden-units', '32', '--quiet');
    expect(resumed.code).toBe(ExitCode.usage);
    expect(resumed.err).toMatch(/--hidden-units 32 differs from the checkpoint's 24/);
    const again = await forger('train', '--backend', 'cpu', '--resume', join(out, 'final.forger'), '--steps', '3', '--hidden-units', '24', '--quiet');
    expect(again.code, again.err).toBe(ExitCode.ok);
  }, 120_000);

  it('stacks a list of hidden layers, mirrored in D, and shows the list in inspect', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-hidden-'));
    const out = join(folder, 'run');
    const trained = await forger('train', '--backend', 'cpu', '--batch-size', '8', '--steps', '2', '--hidden-units', '12,24', '--out', out, '--quiet', '--checkpoint-every', '2', '--sample-every', '2');
    expect(trained.code, trained.err).toBe(ExitCode.ok);
    const checkpoint = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    const kernels = (tensors: { name: string; shape: number[] }[] | undefined): number[][] =>
      (tensors ?? []).filter((t) => t.name.endsWith('/kernel')).map((t) => t.shape);
    expect(kernels(checkpoint.generator)).toEqual([[32, 12], [12, 24], [24, 784]]);
    expect(kernels(checkpoint.discriminator)).toEqual([[784, 24], [24, 12], [12, 1]]);
    expect((await forger('inspect', join(out, 'final.forger'))).out).toMatch(/hidden-units 12,24/);
  }, 120_000);

  it('exits 2 for another family, saying why, and for a width whose kernel would not fit, naming the limit; nothing is written', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-hidden-'));
    const dcgan = await forger('train', '--backend', 'cpu', '--model', 'dcgan', '--hidden-units', '256', '--steps', '1', '--out', join(folder, 'd'));
    expect(dcgan.code).toBe(ExitCode.usage);
    expect(dcgan.err).toMatch(/^error: --hidden-units applies to --model vanilla only: the other families have layers of their own sizes/);
    const huge = await forger('train', '--backend', 'cpu', '--hidden-units', '1000000', '--steps', '1', '--out', join(folder, 'h'));
    expect(huge.code).toBe(ExitCode.usage);
    expect(huge.err).toMatch(/^error: --hidden-units 1000000 is too large for 28×28×1 images: at most 85,598/);
    const deep = await forger('train', '--backend', 'cpu', '--hidden-units', '128,1000000', '--steps', '1', '--out', join(folder, 'h'));
    expect(deep.code).toBe(ExitCode.usage);
    expect(deep.err).toMatch(/^error: --hidden-units 128,1000000 is too large for 28×28×1 images: at most 85,598 in hidden layer 2/);
    expect(await exists(join(folder, 'd'))).toBe(false);
    expect(await exists(join(folder, 'h'))).toBe(false);
  }, 60_000);
});
