import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network.js';
import { useCpuBackend } from '../../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

describe('image layers', () => {
  it('upsample repeats every pixel (Keras UpSampling2D)', () => {
    const net = Network.create([{ kind: 'upsample', name: 'up', kernelSize: 2 }], [2, 2, 1], Rng.fromSeed(1));
    const y = net.apply(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), { training: false });
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    net.dispose();
  });

  it('max-pool takes the maximum of each window, stride = window by default', () => {
    const net = Network.create([{ kind: 'max-pool', name: 'pool', kernelSize: 2 }], [2, 4, 1], Rng.fromSeed(1));
    const y = net.apply(tf.tensor4d([1, 5, 2, 0, 3, 4, 7, 8], [1, 2, 4, 1]), { training: false });
    expect(Array.from(y.dataSync())).toEqual([5, 8]);
    net.dispose();
  });

  it('conv2d "same" keeps the size, "valid" shrinks it by k−1; conv2d-transpose stride 2 doubles it', () => {
    const net = Network.create(
      [
        { kind: 'conv2d', name: 'c1', units: 3, kernelSize: 3, padding: 'same', useBias: true },
        { kind: 'conv2d', name: 'c2', units: 4, kernelSize: 3, padding: 'valid' },
        { kind: 'conv2d-transpose', name: 't1', units: 2, kernelSize: 5, strides: 2, padding: 'same', useBias: true },
        { kind: 'global-average-pool', name: 'gap' },
      ],
      [7, 7, 1],
      Rng.fromSeed(1),
    );
    expect(net.toCheckpointTensors().map((t) => `${t.name} ${t.shape.join('x')}`)).toEqual([
      'c1/kernel 3x3x1x3',
      'c1/bias 3',
      'c2/kernel 3x3x3x4',
      't1/kernel 5x5x2x4',
      't1/bias 2',
    ]);
    const x = tf.ones([2, 7, 7, 1]);
    const features = net.applyWithFeatures(x, { training: false }).features;
    expect(features.shape).toEqual([2, 5, 5, 4]); // the input of t1, the last layer with weights
    expect(net.outputShape).toEqual([2]);
    expect(net.apply(x, { training: false }).shape).toEqual([2, 2]);
    net.dispose();
  });

  it('a conv layer computes the correlation with its kernel', () => {
    const net = Network.create([{ kind: 'conv2d', name: 'c', units: 1, kernelSize: 2, padding: 'valid' }], [2, 2, 1], Rng.fromSeed(1));
    net.variable('c/kernel').assign(tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]));
    expect(net.apply(tf.tensor4d([1, 1, 1, 2], [1, 2, 2, 1]), { training: false }).dataSync()[0]).toBe(1 + 2 + 3 + 8);
    net.dispose();
  });
});
