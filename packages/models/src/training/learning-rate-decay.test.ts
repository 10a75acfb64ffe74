import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@forger/core';
import { buildGan, discriminatorInputShape, generatorInputShape } from '../gan.js';
import { Network } from '../network/network.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch } from '../test-support/batches.js';
import { EVERY_FAMILY, type FamilyCase } from '../test-support/families.js';
import { tinyVanillaSpec } from '../test-support/tiny-specs.js';
import { createTrainer } from './create-trainer.js';
import { disposeMetrics } from './metrics.js';
import type { GanTrainer, TrainOptions } from './types.js';

beforeAll(useCpuBackend);

const read = (n: Network): number[] => n.trainableVariables.flatMap((v) => Array.from(v.dataSync()));

async function steps(trainer: GanTrainer, family: FamilyCase, from: number, to: number): Promise<{ generator: number; discriminator: number }[]> {
  const rates: { generator: number; discriminator: number }[] = [];
  for (let i = from; i < to; i++) {
    rates.push(trainer.learningRates);
    const batch = family.batch(trainer.spec, 9, i);
    disposeMetrics(await trainer.stepAsync(batch));
    disposeBatch(batch);
  }
  return rates;
}

function finish(trainer: GanTrainer): { generator: number[]; discriminator: number[] } {
  const weights = { generator: read(trainer.generator), discriminator: read(trainer.discriminator) };
  trainer.dispose();
  trainer.generator.dispose();
  trainer.discriminator.dispose();
  return weights;
}

function trainerFor(family: FamilyCase, options: TrainOptions): GanTrainer {
  const spec = family.spec();
  return createTrainer(spec, buildGan(spec, 3), { rng: Rng.fromSeed(5), ...options });
}

describe.each(EVERY_FAMILY)('$name: linear learning-rate decay (learningRateDecaySteps)', (family) => {
  it('steps at (1 − s/T) of each rate down to 0, and changes training', async () => {
    const plain = trainerFor(family, {});
    const base = plain.learningRates;
    await steps(plain, family, 0, 4);
    const decayed = trainerFor(family, { learningRateDecaySteps: 4 });
    const rates = await steps(decayed, family, 0, 4);
    expect(rates).toEqual([1, 0.75, 0.5, 0.25].map((f) => ({ generator: base.generator * f, discriminator: base.discriminator * f })));
    // after the last step of the run the rates are 0
    expect(decayed.learningRates).toEqual({ generator: 0, discriminator: 0 });
    const a = finish(plain);
    const b = finish(decayed);
    expect(b.generator).not.toEqual(a.generator);
    expect(b.discriminator).not.toEqual(a.discriminator);
  });

  it('a step past T changes no weight (its rates are 0)', async () => {
    const trainer = trainerFor(family, { learningRateDecaySteps: 1 });
    await steps(trainer, family, 0, 1);
    const before = { generator: read(trainer.generator), discriminator: read(trainer.discriminator) };
    await steps(trainer, family, 1, 2);
    expect(finish(trainer)).toEqual(before);
  });

  it('resumes exactly: N steps + save/restore + M steps = N + M steps', async () => {
    const options: TrainOptions = { learningRateDecaySteps: 5 };
    const straight = trainerFor(family, options);
    await steps(straight, family, 0, 5);

    const layerRng = Rng.fromSeed(5);
    const spec = family.spec();
    const first = createTrainer(spec, buildGan(spec, 3), { ...options, rng: layerRng });
    const base = first.learningRates;
    await steps(first, family, 0, 2);
    const saved = {
      generator: first.generator.toCheckpointTensors(), discriminator: first.discriminator.toCheckpointTensors(),
      optimizers: await first.optimizerStates(), extra: await first.extraTensors(), rng: layerRng.state(),
    };
    // a checkpoint keeps the schedule's base rate, not the decayed one
    expect(saved.optimizers.map((o) => [o.network, o.hyper['learning_rate']])).toEqual([['generator', base.generator], ['discriminator', base.discriminator]]);
    finish(first);
    const nets = {
      generator: Network.fromCheckpoint(spec.generatorLayers, generatorInputShape(spec), saved.generator, 'generator'),
      discriminator: Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), saved.discriminator, 'discriminator'),
    };
    const resumed = createTrainer(spec, nets, { ...options, rng: Rng.fromState(saved.rng), startStep: 2 });
    await resumed.restoreOptimizerStates(saved.optimizers);
    resumed.restoreExtraTensors(saved.extra);
    // step 2 of 5: 0.6 of each rate, as in the straight run
    expect(resumed.learningRates).toEqual({ generator: base.generator * 0.6, discriminator: base.discriminator * 0.6 });
    await steps(resumed, family, 2, 5);
    expect(finish(resumed)).toEqual(finish(straight));
  });
});

describe('learningRateDecaySteps refused', () => {
  it.each([0, -3, 2.5, Number.NaN])('%s: not a positive integer', (value) => {
    const spec = tinyVanillaSpec();
    const nets = buildGan(spec, 3);
    expect(() => createTrainer(spec, nets, { learningRateDecaySteps: value })).toThrow(/learningRateDecaySteps must be a positive integer/);
    nets.generator.dispose();
    nets.discriminator.dispose();
  });
});
