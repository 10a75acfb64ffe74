import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network/network.js';
import { featureMatchingLoss } from './feature-matching.js';
import { HistoricalAverage } from './historical-averaging.js';
import { withMinibatchDiscrimination } from './minibatch-discrimination.js';
import { vanillaSpec } from '../vanilla/vanilla-spec.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

describe('tricks', () => {
  it('feature matching is the mean squared distance between the batch means of the features', () => {
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]); // means (2, 3)
    const fake = tf.tensor2d([
      [0, 0],
      [0, 2],
    ]); // means (0, 1)
    expect(featureMatchingLoss(real, fake).dataSync()[0]).toBeCloseTo((4 + 4) / 2, 6);
  });

  it('historical averaging penalises the distance to the running mean of past parameters', async () => {
    const net = Network.create([{ kind: 'dense', name: 'd', units: 1 }], [1], Rng.fromSeed(1));
    const w = net.variable('d/kernel');
    const history = new HistoricalAverage(net, 'generator');
    for (const v of [1, 2, 6]) {
      w.assign(tf.tensor2d([[v]]));
      history.update();
    }
    w.assign(tf.tensor2d([[5]]));
    expect(history.penalty().dataSync()[0]).toBeCloseTo((5 - 3) ** 2, 5); // mean of 1, 2, 6 is 3
    const saved = await history.toCheckpointTensors();
    expect(saved.map((t) => t.name)).toEqual(['historical_average/generator/d/kernel', 'historical_average/generator/count']);
    const restored = new HistoricalAverage(net, 'generator');
    restored.restore(saved);
    w.assign(tf.tensor2d([[7]]));
    restored.update(); // (1 + 2 + 6 + 7) / 4 = 4
    expect(restored.penalty().dataSync()[0]).toBeCloseTo((7 - 4) ** 2, 5);
    history.dispose();
    restored.dispose();
    net.dispose();
  });

  it('historical averaging over a window penalises the distance to the mean of the last t parameters', async () => {
    const net = Network.create([{ kind: 'dense', name: 'd', units: 1 }], [1], Rng.fromSeed(1));
    const w = net.variable('d/kernel');
    w.assign(tf.tensor2d([[5]]));
    const history = new HistoricalAverage(net, 'generator', 2);
    expect(history.penalty().dataSync()[0]).toBe(0); // before any update the mean is the parameters themselves
    for (const v of [1, 2, 6]) {
      w.assign(tf.tensor2d([[v]]));
      history.update();
    }
    w.assign(tf.tensor2d([[5]]));
    expect(history.penalty().dataSync()[0]).toBeCloseTo((5 - (2 + 6) / 2) ** 2, 5); // the last 2 of 1, 2, 6: mean 4
    const saved = await history.toCheckpointTensors();
    expect(saved.map((t) => t.name)).toEqual([
      'historical_average/generator/window/0/d/kernel', 'historical_average/generator/window/1/d/kernel',
      'historical_average/generator/sum/d/kernel', 'historical_average/generator/mean/d/kernel', 'historical_average/generator/count',
    ]);
    const restored = new HistoricalAverage(net, 'generator', 2);
    restored.restore(saved);
    w.assign(tf.tensor2d([[10]]));
    restored.update(); // 1 and 2 are out of the window: (6 + 10) / 2 = 8
    w.assign(tf.tensor2d([[7]]));
    expect(restored.penalty().dataSync()[0]).toBeCloseTo((7 - 8) ** 2, 5);
    history.dispose();
    restored.dispose();
    net.dispose();
  });

  it('minibatch discrimination goes just before the discriminator\'s final dense layer', () => {
    const layers = withMinibatchDiscrimination(vanillaSpec().discriminatorLayers, { kernels: 10, kernelDim: 3 });
    expect(layers.map((l) => l.kind)).toEqual(['flatten', 'dense', 'minibatch-discrimination', 'dense']);
    const shapes = Network.parameterShapes(layers, [28, 28, 1]);
    expect(shapes.find((s) => s.name === 'minibatch_discrimination/kernel')!.shape).toEqual([128, 30]);
    expect(shapes.find((s) => s.name === 'dense_2/kernel')!.shape).toEqual([138, 1]);
  });
});
