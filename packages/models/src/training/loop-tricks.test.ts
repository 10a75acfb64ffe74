import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import type { ModelSpec } from '@forger/core';
import { buildGan, discriminatorInputShape, generatorInputShape } from '../gan.js';
import { Network } from '../network/network.js';
import { createTrainer } from './create-trainer.js';
import { MAX_HISTORICAL_WINDOW_BYTES, maxHistoricalWindow } from '../tricks/historical-averaging.js';
import { disposeMetrics, readMetrics } from './metrics.js';
import type { GanTrainer, TrainBatch, TrainOptions } from './types.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch, labeledBatch, syntheticBatch } from '../test-support/batches.js';
import { tinyDcganSpec, tinyImprovedGanSpec, tinySsganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';

beforeAll(useCpuBackend);

/** Issue 16: for every family, each training-loop switch changes the losses or the parameters of a plain run. */
interface Family {
  name: string;
  spec: () => ModelSpec;
  batch: (spec: ModelSpec, seed: number, i: number) => TrainBatch;
  options: TrainOptions;
  /** the optimizer kind the family uses by default: a per-network switch picks the other one */
  kind: 'adam' | 'sgd';
}

const FAMILIES: Family[] = [
  { name: 'vanilla', spec: tinyVanillaSpec, batch: syntheticBatch, options: {}, kind: 'adam' },
  { name: 'dcgan', spec: tinyDcganSpec, batch: syntheticBatch, options: {}, kind: 'sgd' },
  { name: 'ssgan, ssgan loss', spec: tinySsganSpec, batch: labeledBatch, options: { sslLoss: 'ssgan' }, kind: 'adam' },
  { name: 'ssgan, improved loss', spec: tinyImprovedGanSpec, batch: labeledBatch, options: { sslLoss: 'improved' }, kind: 'adam' },
];

interface RunResult {
  /** per step: every metric read back */
  steps: Record<string, number>[];
  generator: Float32Array[];
  discriminator: Float32Array[];
}

function trainerFor(family: Family, options: TrainOptions, nets = buildGan(family.spec(), 3)): GanTrainer {
  return createTrainer(family.spec(), nets, { ...family.options, rng: Rng.fromSeed(5), ...options });
}

async function stepThrough(trainer: GanTrainer, family: Family, from: number, to: number): Promise<Record<string, number>[]> {
  const out: Record<string, number>[] = [];
  for (let i = from; i < to; i++) {
    const batch = family.batch(trainer.spec, 9, i);
    const metrics = await trainer.stepAsync(batch);
    out.push(await readMetrics(metrics));
    disposeMetrics(metrics);
    disposeBatch(batch);
  }
  return out;
}

function finish(trainer: GanTrainer): { generator: Float32Array[]; discriminator: Float32Array[] } {
  const read = (n: Network): Float32Array[] => n.trainableVariables.map((v) => v.dataSync() as Float32Array);
  const weights = { generator: read(trainer.generator), discriminator: read(trainer.discriminator) };
  trainer.dispose();
  trainer.generator.dispose();
  trainer.discriminator.dispose();
  return weights;
}

async function run(family: Family, options: TrainOptions, steps = 3): Promise<RunResult> {
  const trainer = trainerFor(family, options);
  const out = await stepThrough(trainer, family, 0, steps);
  return { steps: out, ...finish(trainer) };
}

function same(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length === b.length && a.every((w, i) => w.length === b[i]!.length && w.every((x, j) => x === b[i]![j]));
}

/** The losses of every step, and the parameters at the end. */
function changed(a: RunResult, b: RunResult): boolean {
  const losses = (r: RunResult): number[] => r.steps.flatMap((s) => [s['dLoss']!, s['gLoss']!]);
  return losses(a).some((x, i) => x !== losses(b)[i]) || !same(a.generator, b.generator) || !same(a.discriminator, b.discriminator);
}

describe.each(FAMILIES)('$name: each training-loop switch changes training', (family) => {
  let plain: RunResult;
  beforeAll(async () => {
    plain = await run(family, {});
  });
  const other = family.kind === 'adam' ? 'sgd' : 'adam';

  it.each<[string, TrainOptions]>([
    ['label smoothing (real target 0.9)', { realTarget: 0.9 }],
    // ssgan's loss puts 0.1 on the classes of a generated image by default (SSGAN-Tensorflow)
    ['the fake-label target', { fakeTarget: family.options.sslLoss === 'ssgan' ? 0.3 : 0.1 }],
    ['two-sided smoothing 0.9 / 0.1', { realTarget: 0.9, fakeTarget: family.options.sslLoss === 'ssgan' ? 0.2 : 0.1 }],
    ['historical averaging (cumulative)', { historicalAveraging: 1 }],
    ['historical averaging over a window of 2 steps', { historicalAveraging: 1, historicalWindow: 2 }],
    [`the generator on ${other}`, { generatorOptimizerKind: other }],
    [`the discriminator on ${other}`, { discriminatorOptimizerKind: other }],
    ["the generator's learning rate", { generatorLearningRate: 0.05 }],
    ["the discriminator's learning rate", { discriminatorLearningRate: 0.05 }],
    ['a D loss threshold', { dLossThreshold: -1e9, maxUpdatesPerStep: 2 }],
    // a cap of 3: ssgan's generator takes 2 updates a step already (updateRate)
    ['a G loss threshold', { gLossThreshold: -1e9, maxUpdatesPerStep: 3 }],
  ])('%s', async (_name, options) => {
    expect(changed(await run(family, options), plain)).toBe(true);
  });

  it.skipIf(family.options.sslLoss === 'improved')('feature matching', async () => {
    expect(changed(await run(family, { featureMatching: true }), plain)).toBe(true);
  });

  it('a window of t steps is not the cumulative mean once more than t steps are past', async () => {
    const cumulative = await run(family, { historicalAveraging: 1 }, 4);
    expect(changed(await run(family, { historicalAveraging: 1, historicalWindow: 1 }, 4), cumulative)).toBe(true);
  });

  it('the schedule counts its updates: none below the threshold, up to the cap above it', async () => {
    const above = await run(family, { dLossThreshold: -1e9, gLossThreshold: -1e9, maxUpdatesPerStep: 3 }, 2);
    expect(above.steps.map((s) => [s['dUpdates'], s['gUpdates']])).toEqual([[3, 3], [3, 3]]);
    // a network already below its threshold is left alone: D's parameters after 3 steps are those after 1
    const below = await run(family, { dLossThreshold: 1e9 }, 3);
    const updateRate = family.options.sslLoss === 'ssgan' ? 2 : 1;
    expect(below.steps.map((s) => [s['dUpdates'], s['gUpdates']])).toEqual([[0, updateRate], [0, updateRate], [0, updateRate]]);
    expect(same(below.discriminator, (await run(family, { dLossThreshold: 1e9 }, 1)).discriminator)).toBe(true);
    expect(same(below.generator, (await run(family, { dLossThreshold: 1e9 }, 1)).generator)).toBe(false);
    // no schedule: step() as before, without the counts
    expect(plain.steps[0]).not.toHaveProperty('dUpdates');
  });
});

describe('refused combinations (no option accepted and ignored)', () => {
  it.each<[string, Family, TrainOptions, RegExp]>([
    ['a window without historical averaging', FAMILIES[0]!, { historicalWindow: 3 }, /set historicalAveraging > 0/],
    ['a cap without a threshold', FAMILIES[1]!, { maxUpdatesPerStep: 3 }, /set dLossThreshold or gLossThreshold/],
    ['feature matching with the improved loss, whose G loss it is already', FAMILIES[3]!, { featureMatching: true }, /feature matching already/],
    ['updateRate with a G loss threshold', FAMILIES[2]!, { updateRate: 3, gLossThreshold: 0 }, /give one/],
    ['a fake target of 0.5 or more', FAMILIES[0]!, { fakeTarget: 0.6 }, /fakeTarget must be in \[0, 0.5\)/],
  ])('%s', (_name, family, options, message) => {
    const nets = buildGan(family.spec(), 3);
    expect(() => trainerFor(family, options, nets)).toThrow(message);
    nets.generator.dispose();
    nets.discriminator.dispose();
  });

  it('a historical window whose copies of the networks would not fit a checkpoint, before any is allocated', () => {
    const family = FAMILIES[1]!;
    const nets = buildGan(family.spec(), 3);
    const parameters = [nets.generator, nets.discriminator].flatMap((n) => n.trainableVariables).reduce((n, v) => n + v.size, 0);
    const longest = maxHistoricalWindow(nets);
    // one float32 copy of both networks per step, within the bound
    expect(longest).toBe(Math.floor(MAX_HISTORICAL_WINDOW_BYTES / (4 * parameters)));
    const tensorsBefore = tf.memory().numTensors;
    expect(() => trainerFor(family, { historicalAveraging: 1, historicalWindow: longest + 1 }, nets)).toThrow(
      new RegExp(`a historical window of ${longest + 1} steps .* at most ${longest} steps for these networks`),
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    trainerFor(family, { historicalAveraging: 1, historicalWindow: 2 }, nets).dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });
});

describe('the scheduled step (stepAsync)', () => {
  it.each(FAMILIES)('$name: a scheduled step leaks no tensor (as many after step 3 as after step 6)', async (family) => {
    const trainer = trainerFor(family, { dLossThreshold: 0.5, gLossThreshold: -1e9, maxUpdatesPerStep: 2, historicalAveraging: 1, historicalWindow: 2 });
    await stepThrough(trainer, family, 0, 3);
    const after3 = tf.memory().numTensors;
    await stepThrough(trainer, family, 3, 6);
    expect(tf.memory().numTensors).toBe(after3);
    finish(trainer);
  });

  it('step() under a schedule says to call stepAsync', () => {
    const trainer = trainerFor(FAMILIES[0]!, { dLossThreshold: 1 });
    expect(trainer.readsLossesEachStep).toBe(true);
    const batch = syntheticBatch(trainer.spec, 9, 0);
    expect(() => trainer.step(batch)).toThrow(/call stepAsync/);
    disposeBatch(batch);
    finish(trainer);
  });
});

describe('exact resume with a historical window and the schedule: N steps + save/restore + M steps = N + M steps', () => {
  it.each(FAMILIES)('$name', async (family) => {
    const options: TrainOptions = { historicalAveraging: 0.5, historicalWindow: 2, dLossThreshold: 0.5, maxUpdatesPerStep: 2 };
    const straight = trainerFor(family, options);
    await stepThrough(straight, family, 0, 5);

    const layerRng = Rng.fromSeed(5);
    const first = createTrainer(family.spec(), buildGan(family.spec(), 3), { ...family.options, ...options, rng: layerRng });
    await stepThrough(first, family, 0, 3);
    const saved = {
      generator: first.generator.toCheckpointTensors(), discriminator: first.discriminator.toCheckpointTensors(),
      optimizers: await first.optimizerStates(), extra: await first.extraTensors(), rng: layerRng.state(),
    };
    expect(saved.extra.some((t) => t.name.startsWith('historical_average/generator/window/1/'))).toBe(true);
    finish(first);
    const spec = family.spec();
    const nets = {
      generator: Network.fromCheckpoint(spec.generatorLayers, generatorInputShape(spec), saved.generator, 'generator'),
      discriminator: Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), saved.discriminator, 'discriminator'),
    };
    const resumed = createTrainer(spec, nets, { ...family.options, ...options, rng: Rng.fromState(saved.rng), startStep: 3 });
    await resumed.restoreOptimizerStates(saved.optimizers);
    resumed.restoreExtraTensors(saved.extra);
    await stepThrough(resumed, family, 3, 5);
    const a = finish(straight);
    const b = finish(resumed);
    expect(same(b.generator, a.generator) && same(b.discriminator, a.discriminator)).toBe(true);
  });

  it('a state saved with another window is refused, saying so', async () => {
    const family = FAMILIES[0]!;
    const trainer = trainerFor(family, { historicalAveraging: 1, historicalWindow: 3 });
    await stepThrough(trainer, family, 0, 1);
    const extra = await trainer.extraTensors();
    finish(trainer);
    const shorter = trainerFor(family, { historicalAveraging: 1, historicalWindow: 2 });
    expect(() => shorter.restoreExtraTensors(extra)).toThrow(/window longer than 2 steps/);
    const cumulative = trainerFor(family, { historicalAveraging: 1 });
    expect(() => cumulative.restoreExtraTensors(extra)).toThrow(/lacks "historical_average\/generator\//);
    finish(shorter);
    finish(cumulative);
  });
});
