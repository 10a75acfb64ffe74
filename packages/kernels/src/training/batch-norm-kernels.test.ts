import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '@forger/core';
import { Network } from '@forger/models';
import { BATCH_NORM_GRAD_KERNEL, MOMENTS_KERNEL } from '@forger/models/kernels';
import { describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { checkedBackends, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels, unregisterForgerKernels } from '../register.js';

// What a user of @forger/models gets: a batch-norm layer in training mode — its output, its moving statistics
// and the gradients for x, γ and β — with Forger's batch-norm kernels (ForgerMoments, ForgerBatchNormGrad,
// ForgerMovingAverage) against tfjs-core's ops on the same backend. Shapes: DCGAN's dense batch norm (rank 2,
// many channels) and a small conv batch norm (a thread per channel on webgpu), and a conv batch norm with more
// than 4,096 rows per channel (a workgroup per channel, its tree sum; see gpu/channel-reduction.ts).
await registerGradients();
const shapes = [[8, 300], [3, 10, 12, 5], [2, 48, 48, 3]];

interface Result { y: Float32Array; statistics: Float32Array[]; grads: Float32Array[] }

async function batchNorm(backend: string, shape: number[], withKernels: boolean): Promise<Result> {
  await tf.setBackend(backend);
  const name = backend as 'cpu' | 'wasm' | 'webgpu';
  if (withKernels) registerForgerKernels(name);
  else unregisterForgerKernels(name);
  expect(tf.getKernel(BATCH_NORM_GRAD_KERNEL, backend) !== undefined).toBe(withKernels);
  const channels = shape[shape.length - 1]!;
  const net = Network.create([{ kind: 'batch-norm', name: 'bn', epsilon: 1e-3, momentum: 0.9 }], shape.slice(1), Rng.fromSeed(1));
  net.variable('bn/gamma').assign(tf.tensor1d(uniformValues([channels], 71).values.map((v) => v + 1.5)));
  net.variable('bn/beta').assign(tf.tensor1d(uniformValues([channels], 72).values));
  // A mean far from 0 and small spread: the two-pass variance must hold.
  const x = tf.tensor(uniformValues(shape, 73).values.map((v) => 0.3 * v + 5), shape);
  const dy = tf.tensor(uniformValues(shape, 74).values, shape);
  const y = tf.tidy(() => net.apply(x, { training: true, updateStatistics: true }));
  const [gamma, beta] = [net.variable('bn/gamma'), net.variable('bn/beta')];
  const grads = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    gamma.assign(g);
    beta.assign(b);
    return tf.sum(tf.mul(net.apply(xi, { training: true, updateStatistics: false }), dy));
  })([x, gamma, beta]);
  const read = async (t: tf.Tensor): Promise<Float32Array> => (await t.data()) as Float32Array;
  const result = {
    y: await read(y),
    statistics: [await read(net.variable('bn/moving_mean')), await read(net.variable('bn/moving_variance'))],
    grads: await Promise.all(grads.map(read)),
  };
  tf.dispose([x, dy, y, ...grads]);
  net.dispose();
  registerForgerKernels(name);
  return result;
}

function maxRelativeError(got: Float32Array, want: Float32Array): number {
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0) / Math.max(scale, 1e-30);
}

describe.each([{ backend: 'cpu', skip: undefined, device: 'cpu' }, ...(await checkedBackends())])('$backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  test.skipIf(skip !== undefined).each(shapes)(`Forger's batch-norm kernels give tfjs-core's output, statistics and gradients, shape [%i, …]`, async (...shape) => {
    const own = await batchNorm(backend, shape, false);
    const fused = await batchNorm(backend, shape, true);
    // wasm's own Mean sums 4,608 rows in float32 (Forger's loop in float64): the reference is the rougher one there.
    expect(maxRelativeError(fused.y, own.y)).toBeLessThanOrEqual(1e-4);
    fused.statistics.forEach((s, i) => expect(maxRelativeError(s, own.statistics[i]!)).toBeLessThanOrEqual(1e-5));
    fused.grads.forEach((g, i) => expect(maxRelativeError(g, own.grads[i]!), ['dx', 'dγ', 'dβ'][i]).toBeLessThanOrEqual(1e-4));
  });
});

test('the moments kernel refuses a tensor without a channel axis, the gradient kernel mismatched shapes', async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  expect(() => tf.engine().runKernel(MOMENTS_KERNEL, { x: tf.zeros([5]) }, {})).toThrow(/batch axis and a channel axis, got \[5\]/);
  const [x, c] = [tf.zeros([4, 3]), tf.zeros([3])];
  expect(() => tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, { dy: x, x, mean: c, variance: c, gamma: tf.zeros([2]) }, { epsilon: 1e-3 }))
    .toThrow(/"gamma" is \[2\] but x has 3 channels/);
});
