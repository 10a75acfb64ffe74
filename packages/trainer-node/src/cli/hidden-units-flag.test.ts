import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { addTrainFlags, resolveTrainConfig, type TrainFlags } from './train-flags.js';

const parse = (args: string[]): TrainFlags =>
  addTrainFlags(new Command('train')).exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }).parse(args, { from: 'user' }).opts<TrainFlags>();

async function forger(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, err: io.err(), out: io.out() };
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

describe('forger train --hidden-units', () => {
  it("defaults to the chapter's 128 for the vanilla recipes and is absent for the other families", () => {
    expect(resolveTrainConfig(parse([])).hiddenUnits).toBe(128);
    expect(resolveTrainConfig(parse(['--recipe', 'classic'])).hiddenUnits).toBe(128);
    expect(resolveTrainConfig(parse(['--hidden-units', '256'])).hiddenUnits).toBe(256);
    expect(resolveTrainConfig(parse(['--model', 'dcgan']))).not.toHaveProperty('hiddenUnits');
    expect(() => parse(['--hidden-units', '0'])).toThrow(/whole number ≥ 1/);
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
  }, 120_000);

  it('exits 2 for another family, saying why, and for a width whose kernel would not fit, naming the limit; nothing is written', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-hidden-'));
    const dcgan = await forger('train', '--backend', 'cpu', '--model', 'dcgan', '--hidden-units', '256', '--steps', '1', '--out', join(folder, 'd'));
    expect(dcgan.code).toBe(ExitCode.usage);
    expect(dcgan.err).toMatch(/^error: --hidden-units applies to --model vanilla only: the other families have layers of their own sizes/);
    const huge = await forger('train', '--backend', 'cpu', '--hidden-units', '1000000', '--steps', '1', '--out', join(folder, 'h'));
    expect(huge.code).toBe(ExitCode.usage);
    expect(huge.err).toMatch(/^error: --hidden-units 1000000 is too large for 28×28×1 images: at most 85,598/);
    expect(await exists(join(folder, 'd'))).toBe(false);
    expect(await exists(join(folder, 'h'))).toBe(false);
  }, 60_000);
});
