import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint, type Checkpoint, type CheckpointTensor } from '@forger/core';
import { TRAINED_GENERATOR_PREFIX } from '@forger/models';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

const tempRun = () => mkdtemp(join(tmpdir(), 'forger-gavg-'));

/** A vanilla GAN at batch 8 on the cpu backend, seconds; a checkpoint (and a grid) after every step. */
function tinyTrain(out: string, ...extra: string[]): string[] {
  return ['train', '--backend', 'cpu', '--batch-size', '8', '--out', out, '--quiet', '--seed', '3', '--checkpoint-every', '1', '--sample-every', '1', ...extra];
}

const load = async (path: string): Promise<Checkpoint> => decodeCheckpoint(await readFile(path));
const values = (tensors: CheckpointTensor[]): [string, Float32Array][] => tensors.map((t) => [t.name, checkpointTensorToFloat32(t)]);

/** `forger generate`'s IDX bytes of 16 samples, seed 1. */
async function drawn(checkpoint: string, folder: string, name: string): Promise<Buffer> {
  const idx = join(folder, `${name}.idx`);
  expect(await runCli(['generate', '--checkpoint', checkpoint, '--count', '16', '--seed', '1', '--out', join(folder, `${name}.png`), '--idx', idx, '--backend', 'cpu'], captureIo())).toBe(ExitCode.ok);
  return readFile(idx);
}

describe('forger train --generator-average', () => {
  const runs: Record<'off' | 'zero' | 'averaged' | 'split', string> = { off: '', zero: '', averaged: '', split: '' };
  beforeAll(async () => {
    for (const key of Object.keys(runs) as (keyof typeof runs)[]) runs[key] = await tempRun();
    expect(await runCli(tinyTrain(runs.off, '--steps', '3'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.zero, '--steps', '3', '--generator-average', '0'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.averaged, '--steps', '3', '--generator-average', '0.1'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.split, '--steps', '2', '--generator-average', '0.1'), captureIo())).toBe(ExitCode.ok);
  }, 240_000); // four CLI runs with backend start-up each

  it('rate 0 is the trained weights bit for bit: the same checkpoint tensors and samples as a run without the flag', async () => {
    const off = await load(join(runs.off, 'final.forger'));
    const zero = await load(join(runs.zero, 'final.forger'));
    expect(values(zero.generator)).toEqual(values(off.generator));
    expect(values(zero.training!.extra)).toEqual(values(off.training!.extra));
    expect(zero.training!.extra.some((t) => t.name.startsWith('generator_average/') || t.name.startsWith('trained/'))).toBe(false);
    const folder = await tempRun();
    expect((await drawn(join(runs.zero, 'final.forger'), folder, 'zero')).equals(await drawn(join(runs.off, 'final.forger'), folder, 'off'))).toBe(true);
  }, 120_000);

  it("samples from the mean of the steps' weights: the final checkpoint, its web export, forger generate and the grids", async () => {
    const off = await load(join(runs.off, 'final.forger'));
    const averaged = await load(join(runs.averaged, 'final.forger'));
    expect(JSON.parse(averaged.training!.configJson)).toMatchObject({ generatorAverage: 0.1 });
    const inspect = captureIo();
    expect(await runCli(['inspect', join(runs.averaged, 'final.forger')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/^config: .*generatorAverage=0\.1/m);

    // training is untouched: the trained weights, kept in extra for --resume, are those of the run without the flag
    const trained = new Map(values(averaged.training!.extra.filter((t) => t.name.startsWith(`${TRAINED_GENERATOR_PREFIX}/`))));
    const offGenerator = new Map(values(off.generator));
    expect(trained.size).toBeGreaterThan(0);
    for (const [name, value] of trained) expect(value).toEqual(offGenerator.get(name.slice(TRAINED_GENERATOR_PREFIX.length + 1)));

    // the generator tensors are the mean of the trained weights after steps 1, 2 and 3 (rate 0.1: the plain-mean phase)
    const stepWeights = await Promise.all(['step-00000001.forger', 'step-00000002.forger'].map(async (f) => new Map(values((await load(join(runs.off, 'checkpoints', f))).generator))));
    for (const [name, value] of values(averaged.generator)) {
      if (!trained.has(`${TRAINED_GENERATOR_PREFIX}/${name}`)) continue;
      const mean = value.map((_, j) => (stepWeights[0]!.get(name)![j]! + stepWeights[1]!.get(name)![j]! + offGenerator.get(name)![j]!) / 3);
      expect(Array.from(value).every((v, j) => Math.abs(v - mean[j]!) < 1e-6)).toBe(true);
      expect(value).not.toEqual(offGenerator.get(name));
    }

    // the web export (generator only, float16) carries the averaged weights, not the trained ones
    const web = await load(join(runs.averaged, 'final.web.forger'));
    const averagedGenerator = new Map(values(averaged.generator));
    for (const [name, value] of values(web.generator)) {
      const expected = averagedGenerator.get(name)!;
      expect(Array.from(value).every((v, j) => Math.abs(v - expected[j]!) <= 1e-3 * Math.max(1, Math.abs(expected[j]!)))).toBe(true);
    }

    // forger generate draws other images than from the trained weights, with the same seed
    const folder = await tempRun();
    expect((await drawn(join(runs.averaged, 'final.forger'), folder, 'averaged')).equals(await drawn(join(runs.off, 'final.forger'), folder, 'off'))).toBe(false);

    // the sample grids during the run too: step 1 (the average of one step is the trained weights) is the same, step 2 not
    const grid = async (run: string, step: number): Promise<Buffer> => readFile(join(run, 'samples', `step-${String(step).padStart(8, '0')}.png`));
    expect(await readdir(join(runs.averaged, 'samples'))).toContain('step-00000002.png');
    expect((await grid(runs.averaged, 1)).equals(await grid(runs.off, 1))).toBe(true);
    expect((await grid(runs.averaged, 2)).equals(await grid(runs.off, 2))).toBe(false);
  }, 120_000);

  it('resumes exactly: 2 steps, then --resume to 3, gives the checkpoint of 3 steps in one go; another rate is refused', async () => {
    const refused = captureIo();
    expect(await runCli(['train', '--resume', join(runs.split, 'final.forger'), '--steps', '3', '--quiet', '--generator-average', '0.2'], refused)).toBe(ExitCode.usage);
    expect(refused.err()).toMatch(/--generator-average 0.2 differs from the checkpoint's 0.1/);
    expect(await runCli(['train', '--resume', join(runs.split, 'final.forger'), '--steps', '3', '--quiet'], captureIo())).toBe(ExitCode.ok);
    const whole = await load(join(runs.averaged, 'final.forger'));
    const resumed = await load(join(runs.split, 'final.forger'));
    expect(values(resumed.generator)).toEqual(values(whole.generator));
    expect(values(resumed.discriminator)).toEqual(values(whole.discriminator));
    expect(values(resumed.training!.extra)).toEqual(values(whole.training!.extra));
  }, 120_000);

  it('is refused with --supervised-only, which trains no generator (exit 2)', async () => {
    const io = captureIo();
    expect(await runCli(['train', '--model', 'ssgan', '--supervised-only', '--generator-average', '0.01', '--backend', 'cpu', '--out', await tempRun()], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--generator-average is a GAN training trick: --supervised-only trains the discriminator alone/);
  });
});
