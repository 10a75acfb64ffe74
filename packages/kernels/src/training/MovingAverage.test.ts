import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { MOVING_AVERAGE_KERNEL } from '@forger/models/kernels';
import { describe, expect, test } from 'vitest';
import { checkedBackends, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels } from '../register.js';

// The kernel against the ops @forger/models composes without it, moving·m + batch·(1 − m), on the same
// backend and inputs (the batch-norm layer as a whole is checked in batch-norm-kernels.test.ts).
const channels = 37;
const momentum = 0.99;

async function movingStatistics(backend: string, oneKernel: boolean): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  registerForgerKernels(backend as 'cpu' | 'wasm' | 'webgpu');
  const [movingMean, movingVariance, mean, variance] = [81, 82, 83, 84].map((seed) => tf.tensor1d(uniformValues([channels], seed).values));
  const out = oneKernel
    ? tf.engine().runKernel(MOVING_AVERAGE_KERNEL, { movingMean: movingMean!, movingVariance: movingVariance!, mean: mean!, variance: variance! }, { momentum }) as tf.Tensor[]
    : [tf.add(tf.mul(movingMean!, momentum), tf.mul(mean!, 1 - momentum)), tf.add(tf.mul(movingVariance!, momentum), tf.mul(variance!, 1 - momentum))];
  const values = await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([movingMean!, movingVariance!, mean!, variance!, ...out]);
  return values;
}

describe.each([{ backend: 'cpu', skip: undefined, device: 'cpu' }, ...(await checkedBackends())])('$backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  test.skipIf(skip !== undefined)(`${MOVING_AVERAGE_KERNEL} moves both statistics as tfjs-core's six kernels do`, async () => {
    const own = await movingStatistics(backend, false);
    const fused = await movingStatistics(backend, true);
    // Same float32 operations in the same order: exact on cpu and wasm; the GPU may fuse a multiply-add.
    const bound = backend === 'webgpu' ? 1e-6 : 0;
    fused.forEach((values, s) => values.forEach((v, i) => expect(Math.abs(v - own[s]![i]!)).toBeLessThanOrEqual(bound)));
  });
});

test('inputs of different shapes are refused, naming them', async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const [a, b] = [tf.zeros([3]), tf.zeros([4])];
  expect(() => tf.engine().runKernel(MOVING_AVERAGE_KERNEL, { movingMean: a, movingVariance: a, mean: a, variance: b }, { momentum: 0.9 }))
    .toThrow(/"variance" is \[4\] but "movingMean" is \[3\]/);
  tf.dispose([a, b]);
});
