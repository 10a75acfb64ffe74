import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network.js';
import { useCpuBackend } from '../../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

describe('batch-norm layer (Keras semantics)', () => {
  const spec = [{ kind: 'batch-norm' as const, name: 'bn', epsilon: 1e-3, momentum: 0.9 }];
  const x = [
    [1, 10],
    [3, 20],
    [5, 60],
  ];

  it('training normalises by the batch statistics and moves the moving ones by the momentum', () => {
    const net = Network.create(spec, [2], Rng.fromSeed(1));
    const y = net.apply(tf.tensor2d(x), { training: true }).arraySync() as number[][];
    // column 0: mean 3, biased variance 8/3
    expect(y[0]![0]).toBeCloseTo((1 - 3) / Math.sqrt(8 / 3 + 1e-3), 4);
    expect(y[2]![1]).toBeCloseTo((60 - 30) / Math.sqrt(((10 - 30) ** 2 + (20 - 30) ** 2 + 30 ** 2) / 3 + 1e-3), 4);
    expect(Array.from(net.variable('bn/moving_mean').dataSync())).toEqual([0.1 * 3, 0.1 * 30].map(Math.fround));
    expect(net.variable('bn/moving_variance').dataSync()[0]).toBeCloseTo(0.9 + 0.1 * (8 / 3), 5);
    net.dispose();
  });

  it('inference uses the moving statistics and changes nothing', () => {
    const net = Network.create(spec, [2], Rng.fromSeed(1));
    const y = net.apply(tf.tensor2d(x), { training: false }).arraySync() as number[][];
    expect(y[1]![1]).toBeCloseTo(20 / Math.sqrt(1 + 1e-3), 4); // moving mean 0, variance 1
    expect(Array.from(net.variable('bn/moving_mean').dataSync())).toEqual([0, 0]);
    net.dispose();
  });

  it('leaves the moving statistics alone when asked (a frozen network in training mode)', () => {
    const net = Network.create(spec, [2], Rng.fromSeed(1));
    net.apply(tf.tensor2d(x), { training: true, updateStatistics: false });
    expect(Array.from(net.variable('bn/moving_mean').dataSync())).toEqual([0, 0]);
    net.dispose();
  });
});
