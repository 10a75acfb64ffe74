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

  it('estimateBatchNormStatistics sets the moving statistics to the plain mean of the batches\' own, whatever they held', () => {
    const net = Network.create([{ kind: 'dense', name: 'd', units: 2, activation: 'linear', useBias: false }, ...spec], [2], Rng.fromSeed(1));
    net.variable('d/kernel').assign(tf.tensor2d([[1, 0], [0, 2]]));
    net.variable('bn/moving_mean').assign(tf.tensor1d([100, 100]));
    const gamma = Array.from(net.variable('bn/gamma').dataSync());
    const batches = [[[1, 5], [3, 15]], [[5, 0], [7, 0]]];
    net.estimateBatchNormStatistics((k) => tf.tensor2d(batches[k]!), 2);
    // after the dense layer (second column doubled): batch means [2, 20] and [6, 0], biased variances [1, 100] and [1, 0]
    expect(Array.from(net.variable('bn/moving_mean').dataSync())).toEqual([4, 10]);
    expect(Array.from(net.variable('bn/moving_variance').dataSync())).toEqual([1, 50]);
    expect(Array.from(net.variable('d/kernel').dataSync())).toEqual([1, 0, 0, 2]);
    expect(Array.from(net.variable('bn/gamma').dataSync())).toEqual(gamma);
    expect(net.movingStatistics.map((v) => net.parameterName(v))).toEqual(['bn/moving_mean', 'bn/moving_variance']);
    expect(() => net.estimateBatchNormStatistics((k) => tf.tensor2d(batches[k]!), 0)).toThrow(/at least one batch/);
    net.dispose();
  });

  // The layer's hand-written backward pass against autodiff of the textbook formula, for the dense (rank 2) and
  // the convolutional (rank 4) case, gradients for the input, γ and β.
  it.each([[[5, 3]], [[2, 3, 2, 4]]])('differentiates like autodiff of the formula, input %j', (shape) => {
    const channels = shape[shape.length - 1]!;
    const rng = Rng.fromSeed(7);
    const values = (n: number): Float32Array => { const a = new Float32Array(n); rng.fillNormal(a, 0, 2); return a; };
    const x = tf.tensor(values(shape.reduce((a, b) => a * b)), shape);
    const dy = tf.tensor(values(x.size), shape);
    const net = Network.create([{ kind: 'batch-norm', name: 'bn', epsilon: 1e-3, momentum: 0.9 }], shape.slice(1), Rng.fromSeed(1));
    net.variable('bn/gamma').assign(tf.tensor1d(values(channels)));
    net.variable('bn/beta').assign(tf.tensor1d(values(channels)));
    const gamma = net.variable('bn/gamma');
    const beta = net.variable('bn/beta');
    const axes = shape.slice(0, -1).map((_, i) => i);
    const formula = (xIn: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(xIn, axes);
      return tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(xIn, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b), dy));
    };
    const layer = (xIn: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      gamma.assign(g);
      beta.assign(b);
      return tf.sum(tf.mul(net.apply(xIn, { training: true, updateStatistics: false }), dy));
    };
    const expected = tf.grads(formula)([x, gamma, beta]);
    const got = tf.grads(layer)([x, gamma, beta]);
    expect(got.map((t) => t.shape)).toEqual(expected.map((t) => t.shape));
    got.forEach((g, i) => {
      const want = expected[i]!.dataSync();
      g.dataSync().forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 4));
    });
    net.dispose();
  });
});
