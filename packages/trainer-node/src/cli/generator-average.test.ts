import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint, type Checkpoint, type CheckpointTensor } from '@forger/core';
import { TRAINED_GENERATOR_PREFIX, TRAINED_STATISTICS_PREFIX } from '@forger/models';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { Command } from 'commander';
import type { TrainConfig, TrainFlags } from '../run/train-config.js';
import { addTrainFlags, resolveTrainConfig } from './train-flags.js';

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
  const runs: Record<'zero' | 'averaged' | 'split', string> = { zero: '', averaged: '', split: '' };
  beforeAll(async () => {
    for (const key of Object.keys(runs) as (keyof typeof runs)[]) runs[key] = await tempRun();
    expect(await runCli(tinyTrain(runs.zero, '--steps', '3', '--generator-average', '0'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.averaged, '--steps', '3', '--generator-average', '0.1'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.split, '--steps', '2', '--generator-average', '0.1'), captureIo())).toBe(ExitCode.ok);
  }, 240_000); // three CLI runs with backend start-up each

  it("defaults to 0.001 for Forger's vanilla and dcgan recipes and off for the sources' recipes; a checkpoint from before the flag resumes with it off", () => {
    const parse = (args: string[]): TrainFlags => addTrainFlags(new Command('train')).parse(args, { from: 'user' }).opts<TrainFlags>();
    expect(resolveTrainConfig(parse([])).generatorAverage).toBe(0.001);
    expect(resolveTrainConfig(parse(['--recipe', 'classic'])).generatorAverage).toBe(0);
    expect(resolveTrainConfig(parse(['--model', 'dcgan'])).generatorAverage).toBe(0.001);
    expect(resolveTrainConfig(parse(['--model', 'dcgan', '--architecture', 'keras-dcgan'])).generatorAverage).toBe(0);
    expect(resolveTrainConfig(parse(['--model', 'dcgan', '--recipe', 'keras-dcgan'])).generatorAverage).toBe(0);
    const before = resolveTrainConfig(parse([]));
    delete (before as Partial<TrainConfig>).generatorAverage;
    expect(resolveTrainConfig(parse([]), before).generatorAverage).toBe(0);
  });

  it('rate 0 is the trained weights bit for bit: no average in the checkpoint, its generator the weights training left', async () => {
    const zero = await load(join(runs.zero, 'final.forger'));
    const averaged = await load(join(runs.averaged, 'final.forger'));
    expect(zero.training!.extra.some((t) => t.name.startsWith('generator_average/') || t.name.startsWith(`${TRAINED_GENERATOR_PREFIX}/`))).toBe(false);
    // the averaging run trains exactly as the run without: its trained weights (kept in extra) are rate 0's generator
    const trained = new Map(values(averaged.training!.extra.filter((t) => t.name.startsWith(`${TRAINED_GENERATOR_PREFIX}/`))));
    expect(trained.size).toBeGreaterThan(0);
    for (const [name, value] of values(zero.generator)) {
      expect(trained.get(`${TRAINED_GENERATOR_PREFIX}/${name}`) ?? new Map(values(averaged.generator)).get(name)).toEqual(value);
    }
    expect(values(zero.discriminator)).toEqual(values(averaged.discriminator));
  });

  it("samples from the mean of the steps' weights: the final checkpoint, its web export, forger generate and the grids", async () => {
    const zero = await load(join(runs.zero, 'final.forger'));
    const averaged = await load(join(runs.averaged, 'final.forger'));
    expect(JSON.parse(averaged.training!.configJson)).toMatchObject({ generatorAverage: 0.1 });
    const inspect = captureIo();
    expect(await runCli(['inspect', join(runs.averaged, 'final.forger')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/^config: .*generatorAverage=0\.1/m);

    // the trained weights, kept in extra for --resume, are those of the run at rate 0
    const trained = new Map(values(averaged.training!.extra.filter((t) => t.name.startsWith(`${TRAINED_GENERATOR_PREFIX}/`))));
    const zeroGenerator = new Map(values(zero.generator));
    expect(trained.size).toBeGreaterThan(0);
    for (const [name, value] of trained) expect(value).toEqual(zeroGenerator.get(name.slice(TRAINED_GENERATOR_PREFIX.length + 1)));

    // the generator tensors are the mean of the trained weights after steps 1, 2 and 3 (rate 0.1: the plain-mean phase)
    const stepWeights = await Promise.all(['step-00000001.forger', 'step-00000002.forger'].map(async (f) => new Map(values((await load(join(runs.zero, 'checkpoints', f))).generator))));
    for (const [name, value] of values(averaged.generator)) {
      if (!trained.has(`${TRAINED_GENERATOR_PREFIX}/${name}`)) continue;
      const mean = value.map((_, j) => (stepWeights[0]!.get(name)![j]! + stepWeights[1]!.get(name)![j]! + zeroGenerator.get(name)![j]!) / 3);
      expect(Array.from(value).every((v, j) => Math.abs(v - mean[j]!) < 1e-6)).toBe(true);
      expect(value).not.toEqual(zeroGenerator.get(name));
    }

    // the web export (generator only, float16) carries the averaged weights, not the trained ones
    const web = await load(join(runs.averaged, 'final.web.forger'));
    const averagedGenerator = new Map(values(averaged.generator));
    for (const [name, value] of values(web.generator)) {
      const expected = averagedGenerator.get(name)!;
      expect(Array.from(value).every((v, j) => Math.abs(v - expected[j]!) <= 1e-3 * Math.max(1, Math.abs(expected[j]!)))).toBe(true);
    }

    // forger generate draws other images than from the trained weights (rate 0), with the same seed
    const folder = await tempRun();
    expect((await drawn(join(runs.averaged, 'final.forger'), folder, 'averaged')).equals(await drawn(join(runs.zero, 'final.forger'), folder, 'zero'))).toBe(false);

    // the sample grids during the run too: step 1 (the average of one step is the trained weights) is the same, step 2 not
    const grid = async (run: string, step: number): Promise<Buffer> => readFile(join(run, 'samples', `step-${String(step).padStart(8, '0')}.png`));
    expect(await readdir(join(runs.averaged, 'samples'))).toContain('step-00000002.png');
    expect((await grid(runs.averaged, 1)).equals(await grid(runs.zero, 1))).toBe(true);
    expect((await grid(runs.averaged, 2)).equals(await grid(runs.zero, 2))).toBe(false);
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

describe('forger train --generator-average with batch norm in G', () => {
  const runs: Record<'zero' | 'averaged' | 'split', string> = { zero: '', averaged: '', split: '' };
  const norm = ['--norm', 'batch'];
  beforeAll(async () => {
    for (const key of Object.keys(runs) as (keyof typeof runs)[]) runs[key] = await tempRun();
    expect(await runCli(tinyTrain(runs.zero, ...norm, '--steps', '3', '--generator-average', '0'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.averaged, ...norm, '--steps', '3', '--generator-average', '0.1'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(runs.split, ...norm, '--steps', '2', '--generator-average', '0.1'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(['train', '--resume', join(runs.split, 'final.forger'), '--steps', '3', '--quiet'], captureIo())).toBe(ExitCode.ok);
  }, 240_000);

  const statisticNames = (c: Checkpoint): string[] => c.generator.filter((t) => /moving_(mean|variance)$/.test(t.name)).map((t) => t.name);

  it("samples with statistics of the averaged weights, keeps the trained ones for --resume, and resumes exactly", async () => {
    const zero = await load(join(runs.zero, 'final.forger'));
    const averaged = await load(join(runs.averaged, 'final.forger'));
    const names = statisticNames(averaged);
    expect(names.length).toBeGreaterThan(0);
    // the trained statistics travel in extra and are those of the run without an average (training is untouched) …
    const trained = new Map(values(averaged.training!.extra.filter((t) => t.name.startsWith(`${TRAINED_STATISTICS_PREFIX}/`))));
    expect([...trained.keys()]).toEqual(names.map((n) => `${TRAINED_STATISTICS_PREFIX}/${n}`));
    const zeroGenerator = new Map(values(zero.generator));
    for (const name of names) expect(trained.get(`${TRAINED_STATISTICS_PREFIX}/${name}`)).toEqual(zeroGenerator.get(name));
    // … while the generator samplers read holds others: those of the averaged weights
    const sampling = new Map(values(averaged.generator));
    expect(names.some((name) => !sampling.get(name)!.every((v, j) => v === zeroGenerator.get(name)![j]))).toBe(true);
    // 2 steps, then --resume to 3: the same checkpoint as 3 steps in one go, estimated and trained statistics alike
    const resumed = await load(join(runs.split, 'final.forger'));
    expect(values(resumed.generator)).toEqual(values(averaged.generator));
    expect(values(resumed.training!.extra)).toEqual(values(averaged.training!.extra));
  });
});
