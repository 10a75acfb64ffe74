import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@forger/core';
import { Network } from '@forger/models';
import { CHANNEL_SUM_KERNEL } from '@forger/models/kernels';
import { afterAll, describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { probeWebGpu, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels } from '../register.js';

// ForgerChannelSum, a bias's gradient, against tfjs-core's tf.sum over the leading axes on the cpu backend: a dense
// gradient (many channels, few rows: a thread per channel on webgpu), conv gradients (few channels; more than
// 4,096 rows: the row-split product on the matrix-product engine, one to many slices), and one channel.
await registerGradients();
const shapes = [[8, 300], [3, 10, 12, 5], [2, 48, 48, 3], [1, 7, 1], [40, 30, 30, 7], [9, 40, 40, 1]];
const webgpu = await probeWebGpu();
afterAll(() => tf.setBackend('cpu'));

async function reference(shape: number[], seed: number): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const x = tf.tensor(uniformValues(shape, seed).values, shape);
  const sum = tf.sum(x, shape.slice(0, -1).map((_, i) => i));
  const values = (await sum.data()) as Float32Array;
  tf.dispose([x, sum]);
  return values;
}

describe.each([{ backend: 'cpu', skip: undefined as string | undefined }, { backend: 'webgpu', skip: webgpu.reason }])('on $backend', ({ backend, skip }) => {
  test.skipIf(skip !== undefined).each(shapes)(`sums every axis but the last like tf.sum, shape [%i, …]${skip ? ` (skipped: ${skip})` : ''}`, async (...shape) => {
    const want = await reference(shape, 91);
    await tf.setBackend(backend);
    registerForgerKernels(backend as 'cpu' | 'webgpu');
    const x = tf.tensor(uniformValues(shape, 91).values, shape);
    const sum = tf.engine().runKernel(CHANNEL_SUM_KERNEL, { x }, {}) as tf.Tensor;
    expect(sum.shape).toEqual([shape[shape.length - 1]]);
    const got = (await sum.data()) as Float32Array;
    const scale = Math.max(...want.map(Math.abs), 1);
    got.forEach((v, c) => expect(Math.abs(v - want[c]!) / scale, `channel ${c}`).toBeLessThanOrEqual(1e-5));
    tf.dispose([x, sum]);
  });
});

test("a conv layer's bias gradient runs as one ForgerChannelSum, not tfjs's Sum, and the kernel refuses a rank-1 input", async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const net = Network.create(
    [{ kind: 'conv2d', name: 'conv', units: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'tanh', useBias: true }],
    [6, 6, 2], Rng.fromSeed(3),
  );
  const x = tf.tensor(uniformValues([2, 6, 6, 2], 5).values, [2, 6, 6, 2]);
  const bias = net.variable('conv/bias');
  const profile = await tf.profile(() => {
    const { grads } = tf.variableGrads(() => tf.mean(net.apply(x, { training: true })) as tf.Scalar, [bias]);
    return grads['conv/bias'];
  });
  const names = profile.kernels.map((k) => k.name);
  expect(names).toContain(CHANNEL_SUM_KERNEL);
  expect(names).not.toContain('Sum');
  tf.dispose([x, profile.result as tf.Tensor]);
  net.dispose();
  expect(() => tf.engine().runKernel(CHANNEL_SUM_KERNEL, { x: tf.zeros([5]) }, {})).toThrow(/rows and a channel axis, got \[5\]/);
});
