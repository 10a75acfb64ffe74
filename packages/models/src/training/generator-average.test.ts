import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkpointTensorToFloat32, type CheckpointTensor } from '@forger/core';
import { buildGan, discriminatorInputShape, generatorInputShape } from '../gan.js';
import { Network } from '../network/network.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch } from '../test-support/batches.js';
import { EVERY_FAMILY, type FamilyCase } from '../test-support/families.js';
import { createTrainer } from './create-trainer.js';
import {
  AVERAGE_STATISTICS_BATCHES, AVERAGE_STATISTICS_BATCH_SIZE, GENERATOR_AVERAGE_PREFIX, TRAINED_GENERATOR_PREFIX, TRAINED_STATISTICS_PREFIX,
  estimateAveragedStatistics, samplingForm, samplingStatistics, trainingForm,
} from './generator-average.js';
import { latentBatch } from './latent.js';
import { acganConvSpec } from '../acgan/acgan-conv-spec.js';
import { disposeMetrics } from './metrics.js';
import type { GanTrainer } from './types.js';

beforeAll(useCpuBackend);


const read = (vars: readonly tf.Variable[]): Float32Array[] => vars.map((v) => v.dataSync() as Float32Array);

/** Three steps; the generator's trainable weights after each, and what withSamplingWeights lends at the end. */
async function train(family: FamilyCase, rate: number | undefined): Promise<{ trainer: GanTrainer; perStep: Float32Array[][]; sampled: Float32Array[] }> {
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
  for (const family of EVERY_FAMILY) {
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
      const statistics = await samplingStatistics(averaged.trainer);
      const file = samplingForm(trained, extra, statistics);
      expect(file.generator.filter((t) => statistics.some((s) => s.name === t.name))).toEqual(statistics);
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

  it('normalises the averaged generator by its own batch-norm statistics, and puts the trained ones back', async () => {
    const withBatchNorm = EVERY_FAMILY.filter((f) => buildGan(f.spec(), 3).generator.movingStatistics.length > 0).map((f) => f.name);
    expect(withBatchNorm).toEqual(expect.arrayContaining(['dcgan', 'ssgan']));
    for (const family of EVERY_FAMILY.filter((f) => withBatchNorm.includes(f.name) && f.name !== 'acgan')) {
      const averaged = await train(family, 0.1);
      const { generator, spec } = averaged.trainer;
      const trainedStatistics = read(generator.movingStatistics).map((a) => a.slice());
      const gap = await averaged.trainer.withSamplingWeights(async (g) => {
        // inference (moving statistics) against training mode (each batch's own) on as many fresh z as the estimate
        // used: the same images but for the sampling error of the statistics
        const z = latentBatch(spec, AVERAGE_STATISTICS_BATCHES * AVERAGE_STATISTICS_BATCH_SIZE, Rng.fromSeed(77));
        const gaps = tf.tidy(() => {
          const inference = g.apply(z, { training: false });
          const own = g.apply(z, { training: true, updateStatistics: false });
          const trainedStats = (() => {
            const lent = g.movingStatistics.map((v) => v.clone());
            g.movingStatistics.forEach((v, i) => v.assign(tf.tensor(trainedStatistics[i]!, v.shape)));
            const y = g.apply(z, { training: false });
            g.movingStatistics.forEach((v, i) => v.assign(lent[i]!));
            return y;
          })();
          return [tf.mean(tf.abs(tf.sub(inference, own))).dataSync()[0]!, tf.mean(tf.abs(tf.sub(trainedStats, own))).dataSync()[0]!];
        });
        z.dispose();
        return gaps;
      });
      // mean absolute pixel difference (pixels in [-1, 1]): dcgan 0.011 here, against 0.187 with the trained statistics
      expect(gap[0]).toBeLessThan(0.02);
      expect(gap[1]).toBeGreaterThan(5 * gap[0]!);
      // lending changed nothing of the trained generator
      expect(read(generator.movingStatistics)).toEqual(trainedStatistics);
      expect(read(generator.trainableVariables)).toEqual(averaged.perStep[2]);
      // a checkpoint keeps the trained statistics apart; trainingForm puts them back and drops the estimated ones
      const trained = await generator.readCheckpointTensors();
      const file = samplingForm(trained, await averaged.trainer.extraTensors(), await samplingStatistics(averaged.trainer));
      expect(file.extra.filter((t) => t.name.startsWith(`${TRAINED_STATISTICS_PREFIX}/`)).map((t) => t.name)).toEqual(
        generator.movingStatistics.map((v) => `${TRAINED_STATISTICS_PREFIX}/${generator.parameterName(v)}`),
      );
      const back = trainingForm(file.generator, file.extra);
      expect(asArrays(back.generator)).toEqual(asArrays(trained));
      expect(back.extra.some((t) => t.name.startsWith(`${TRAINED_STATISTICS_PREFIX}/`))).toBe(false);
      dispose(averaged.trainer);
    }
  });

  it('estimates the averaged statistics once per step: a grid and a checkpoint at one step share them, bit for bit', async () => {
    const family = EVERY_FAMILY.find((f) => f.name === 'dcgan')!;
    const { trainer } = await train(family, 0.1);
    const { generator, spec } = trainer;
    const estimates = vi.spyOn(generator, 'estimateBatchNormStatistics');
    const lend = (): Promise<Float32Array[]> => trainer.withSamplingWeights(async (g) => read(g.movingStatistics).map((a) => a.slice()));
    // what a fresh estimate gives for the average as it is now
    const fresh = await trainer.withSamplingWeights(async (g) => {
      estimateAveragedStatistics(g, spec);
      return read(g.movingStatistics).map((a) => a.slice());
    });
    estimates.mockClear();
    // train() lent the average after its last step: nothing moved since, so no lending estimates again
    const grid = await lend();
    const checkpoint = await lend();
    expect(estimates).not.toHaveBeenCalled();
    expect(grid).toEqual(fresh);
    expect(checkpoint).toEqual(fresh);
    // a step moves the average: the next lending estimates once, the one after reuses it
    const batch = family.batch(spec, 9, 3);
    disposeMetrics(await trainer.stepAsync(batch));
    disposeBatch(batch);
    const afterStep = await lend();
    expect(estimates).toHaveBeenCalledTimes(1);
    expect(afterStep).not.toEqual(fresh);
    expect(await lend()).toEqual(afterStep);
    expect(estimates).toHaveBeenCalledTimes(1);
    // restoring the average (a resume) estimates again, and the same average gives the same statistics
    trainer.restoreExtraTensors(await trainer.extraTensors());
    expect(await lend()).toEqual(afterStep);
    expect(estimates).toHaveBeenCalledTimes(2);
    estimates.mockRestore();
    dispose(trainer);
  });

  it('estimates a conditional generator\'s statistics from z and every class, the same values each time', () => {
    const spec = acganConvSpec({ numClasses: 3, image: { height: 20, width: 20, channels: 1 }, generatorFilters: [4, 3, 2], discriminatorFilters: [2, 2, 2, 2], kernelSizes: [3, 3] });
    const { generator, discriminator } = buildGan(spec, 4);
    const initial = read(generator.movingStatistics).map((a) => a.slice());
    estimateAveragedStatistics(generator, spec);
    const first = read(generator.movingStatistics).map((a) => a.slice());
    expect(first).not.toEqual(initial);
    generator.movingStatistics.forEach((v) => v.assign(tf.onesLike(v)));
    estimateAveragedStatistics(generator, spec);
    expect(read(generator.movingStatistics)).toEqual(first);
    generator.dispose();
    discriminator.dispose();
  });

  it('resumes exactly: the trained weights, the average and its count come back from a checkpoint', async () => {
    const family = EVERY_FAMILY[0]!;
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
