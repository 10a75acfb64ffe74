import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkpointTensorToFloat32, type CheckpointTensor, type ModelSpec } from '@forger/core';
import { buildGan, discriminatorInputShape, generatorInputShape } from '../gan.js';
import { Network } from '../network/network.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch, labeledBatch, syntheticBatch } from '../test-support/batches.js';
import { tinyAcganSpec, tinyDcganSpec, tinySsganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';
import { createTrainer } from './create-trainer.js';
import { GENERATOR_AVERAGE_PREFIX, TRAINED_GENERATOR_PREFIX, samplingForm, trainingForm } from './generator-average.js';
import { disposeMetrics } from './metrics.js';
import type { GanTrainer, TrainBatch } from './types.js';

beforeAll(useCpuBackend);

function acganBatch(spec: ModelSpec, seed: number, i: number): TrainBatch {
  return { ...syntheticBatch(spec, seed, i, 6), labels: tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), fakeLabels: tf.tensor1d([2, 2, 1, 1, 0, 0], 'int32') };
}

const FAMILIES = [
  { name: 'vanilla', spec: tinyVanillaSpec, batch: syntheticBatch },
  { name: 'dcgan', spec: tinyDcganSpec, batch: syntheticBatch },
  { name: 'ssgan', spec: tinySsganSpec, batch: labeledBatch },
  { name: 'acgan', spec: () => tinyAcganSpec(), batch: acganBatch },
];

type Family = (typeof FAMILIES)[number];

const read = (vars: readonly tf.Variable[]): Float32Array[] => vars.map((v) => v.dataSync() as Float32Array);

/** Three steps; the generator's trainable weights after each, and what withSamplingWeights lends at the end. */
async function train(family: Family, rate: number | undefined): Promise<{ trainer: GanTrainer; perStep: Float32Array[][]; sampled: Float32Array[] }> {
  const spec = family.spec();
  const trainer = createTrainer(spec, buildGan(spec, 3), { rng: Rng.fromSeed(5), ...(rate !== undefined ? { generatorAverageRate: rate } : {}) });
  const perStep: Float32Array[][] = [];
  for (let i = 0; i < 3; i++) {
    const batch = family.batch(spec, 9, i);
    disposeMetrics(await trainer.stepAsync(batch));
    disposeBatch(batch);
    perStep.push(read(trainer.generator.trainableVariables).map((a) => a.slice()));
  }
  const sampled = await trainer.withSamplingWeights(async (g) => read(g.trainableVariables).map((a) => a.slice()));
  return { trainer, perStep, sampled };
}

function dispose(trainer: GanTrainer): void {
  trainer.dispose();
  trainer.generator.dispose();
  trainer.discriminator.dispose();
}

describe('the generator average (Yazıcı et al. 2019)', () => {
  for (const family of FAMILIES) {
    it(`${family.name}: samples from the mean of the steps' weights, trains exactly as without it, and round-trips a checkpoint`, async () => {
      const plain = await train(family, undefined);
      const averaged = await train(family, 0.1);
      // training is untouched: the trained weights are those of a run without an average, bit for bit
      expect(averaged.perStep).toEqual(plain.perStep);
      expect(read(averaged.trainer.generator.trainableVariables)).toEqual(plain.perStep[2]);
      // without an average, samples come from the trained weights
      expect(plain.sampled).toEqual(plain.perStep[2]);
      // with rate 0.1, three steps are within the plain-mean phase (count < 1/rate): the mean of the three
      averaged.sampled.forEach((values, p) => {
        const mean = values.map((_, j) => (averaged.perStep[0]![p]![j]! + averaged.perStep[1]![p]![j]! + averaged.perStep[2]![p]![j]!) / 3);
        expect(Array.from(values).every((v, j) => Math.abs(v - mean[j]!) < 1e-6)).toBe(true);
      });
      expect(averaged.sampled).not.toEqual(averaged.perStep[2]);
      // lending the average put the trained weights back exactly
      expect(read(averaged.trainer.generator.trainableVariables)).toEqual(plain.perStep[2]);

      // a checkpoint holds the averaged weights as the generator's, the trained ones in extra; undone on resume
      const trained = await averaged.trainer.generator.readCheckpointTensors();
      const extra = await averaged.trainer.extraTensors();
      const file = samplingForm(trained, extra);
      const byName = new Map(file.generator.map((t) => [t.name, checkpointTensorToFloat32(t)]));
      averaged.trainer.generator.trainableVariables.forEach((v, p) => {
        expect(byName.get(averaged.trainer.generator.parameterName(v))).toEqual(averaged.sampled[p]);
      });
      expect(file.extra.some((t) => t.name.startsWith(`${TRAINED_GENERATOR_PREFIX}/`))).toBe(true);
      expect(file.extra.filter((t) => t.name.startsWith(`${GENERATOR_AVERAGE_PREFIX}/`)).map((t) => t.name)).toEqual([`${GENERATOR_AVERAGE_PREFIX}/count`]);
      const back = trainingForm(file.generator, file.extra);
      expect(asArrays(back.generator)).toEqual(asArrays(trained));
      expect(asArrays(sorted(back.extra))).toEqual(asArrays(sorted(extra)));
      // without an average both forms are the checkpoint as it is
      const plainTensors = await plain.trainer.generator.readCheckpointTensors();
      expect(samplingForm(plainTensors, [])).toEqual({ generator: plainTensors, extra: [] });
      dispose(plain.trainer);
      dispose(averaged.trainer);
    });
  }

  it('resumes exactly: the trained weights, the average and its count come back from a checkpoint', async () => {
    const family = FAMILIES[0]!;
    const spec = family.spec();
    const whole = await train(family, 0.5);
    // two steps, then a checkpoint's state: its generator tensors are the averaged ones (samplingForm)
    const rng = Rng.fromSeed(5);
    const first = createTrainer(spec, buildGan(spec, 3), { rng, generatorAverageRate: 0.5 });
    for (let i = 0; i < 2; i++) {
      const batch = family.batch(spec, 9, i);
      disposeMetrics(await first.stepAsync(batch));
      disposeBatch(batch);
    }
    const file = samplingForm(await first.generator.readCheckpointTensors(), await first.extraTensors());
    const checkpoint = { spec, generator: file.generator, discriminator: await first.discriminator.readCheckpointTensors() };
    // the third step on a trainer rebuilt from it
    const back = trainingForm(checkpoint.generator, file.extra);
    const nets = {
      generator: Network.fromCheckpoint(spec.generatorLayers, generatorInputShape(spec), back.generator, 'generator'),
      discriminator: Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), checkpoint.discriminator, 'discriminator'),
    };
    const resumed = createTrainer(spec, nets, { rng: Rng.fromState(rng.state()), generatorAverageRate: 0.5, startStep: 2 });
    await resumed.restoreOptimizerStates(await first.optimizerStates());
    resumed.restoreExtraTensors(back.extra);
    const batch = family.batch(spec, 9, 2);
    disposeMetrics(await resumed.stepAsync(batch));
    disposeBatch(batch);
    expect(read(resumed.generator.trainableVariables)).toEqual(whole.perStep[2]);
    expect(await resumed.withSamplingWeights(async (g) => read(g.trainableVariables))).toEqual(whole.sampled);
    for (const t of [first, resumed, whole.trainer]) dispose(t);
  });
});

const asArrays = (tensors: CheckpointTensor[]): [string, Float32Array][] => tensors.map((t) => [t.name, checkpointTensorToFloat32(t)]);
const sorted = (tensors: CheckpointTensor[]): CheckpointTensor[] => [...tensors].sort((a, b) => a.name.localeCompare(b.name));
