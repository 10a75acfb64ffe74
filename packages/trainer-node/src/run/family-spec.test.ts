import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import type { Dataset } from '@forger/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../cli/train-flags.js';
import { familySpec } from './family-spec.js';
import { trainOptionsFor } from './train-options.js';
import { TrainingData } from './training-data.js';
import { UsageError } from './usage-error.js';

/** Eight 4×4 images: pixel values 0, 17, …, 255, so both ends of the byte range appear. */
const dataset: Dataset = {
  name: 'tiny', split: 'train', count: 8, image: { height: 4, width: 4, channels: 1 }, numClasses: 2, classNames: ['0', '1'],
  images: Uint8Array.from({ length: 8 * 16 }, (_, i) => (i % 16) * 17),
  labels: Uint8Array.from({ length: 8 }, (_, i) => i % 2),
};

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('familySpec with the architecture switches', () => {
  it("--label-smoothing 1 and --discriminator-dropout 0 turn off what Forger's vanilla recipe switches on", () => {
    const byDefault = resolveTrainConfig({});
    expect(trainOptionsFor(byDefault, Rng.fromSeed(1), 0, 10_000).realTarget).toBe(0.9);
    // dropout after each of D's two hidden layers
    expect(familySpec(byDefault, dataset).discriminatorLayers.map((l) => l.kind)).toEqual(['flatten', 'dense', 'dropout', 'dense', 'dropout', 'dense']);
    const off = resolveTrainConfig({ labelSmoothing: 1, discriminatorDropout: 0 });
    expect(off).toMatchObject({ labelSmoothing: 1, discriminatorDropout: 0 });
    expect(trainOptionsFor(off, Rng.fromSeed(1), 0, 10_000).realTarget).toBeUndefined();
    expect(familySpec(off, dataset).discriminatorLayers.map((l) => l.kind)).toEqual(['flatten', 'dense', 'dense', 'dense']);
  });

  it('--output tanh gives the vanilla GAN a tanh output, and the real batch arrives in [-1, 1]; sigmoid in [0, 1]', () => {
    for (const [output, lo, range] of [['tanh', -1, 'minus-one-one'], ['sigmoid', 0, 'zero-one']] as const) {
      const config = resolveTrainConfig({ output, batchSize: 8, steps: 1 });
      const spec = familySpec(config, dataset);
      expect(spec.pixelRange).toBe(range);
      const outputLayer = spec.generatorLayers.filter((l) => l.kind === 'dense').at(-1)!;
      expect(outputLayer.kind === 'dense' && outputLayer.activation).toBe(output);
      const batch = new TrainingData(dataset, config).next().toTensors(spec, Rng.fromSeed(1));
      const values = batch.real.dataSync();
      expect(Math.min(...values)).toBeCloseTo(lo, 6);
      expect(Math.max(...values)).toBeCloseTo(1, 6);
      tf.dispose([batch.real, batch.z]);
    }
  });

  it('--model dcgan --architecture radford builds the radford spec with the switches on top', () => {
    const eightByEight: Dataset = { ...dataset, image: { height: 8, width: 8, channels: 1 }, count: 2 };
    const spec = familySpec(resolveTrainConfig({ model: 'dcgan', architecture: 'radford', upsample: 'nearest', latentPrior: 'uniform' }), eightByEight);
    expect(spec.variant).toBe('radford-dcgan');
    expect(spec.latentPrior).toBe('uniform');
    expect(spec.generatorLayers.map((l) => l.kind)).toContain('upsample');
  });

  it('a switch the networks cannot take is a UsageError naming the flag', () => {
    expect(() => familySpec(resolveTrainConfig({ norm: 'instance' }), dataset)).toThrow(UsageError);
    expect(() => familySpec(resolveTrainConfig({ norm: 'instance' }), dataset)).toThrow(/^--norm instance cannot apply/);
  });
});
