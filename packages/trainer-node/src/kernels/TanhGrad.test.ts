import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { tanh, TANH_GRAD_KERNEL } from '@forger/models';
import { describe, expect, test } from 'vitest';
import { registerGradients } from '../backends/registerGradients.js';
import { checkedBackends, uniformValues } from './kernelCheck.js';
import { registerTrainingKernels, unregisterTrainingKernels } from './register.js';

// What a user of @forger/models gets: the gradient of its tanh with Forger's one-kernel gradient registered,
// against tfjs-core's own gradient of tf.tanh on the cpu backend (the reference).
const shapes = [[7], [2, 14, 14, 64], [3, 1024]];

async function tanhGradient(backend: string, shape: number[], useModelsTanh: boolean): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor(uniformValues(shape, 41).values.map((v) => 3 * v), shape);
  const dy = tf.tensor(uniformValues(shape, 42).values, shape);
  const f = (input: tf.Tensor): tf.Tensor => tf.sum(tf.mul(useModelsTanh ? tanh(input) : tf.tanh(input), dy));
  const g = tf.grad(f)(x);
  const values = (await g.data()) as Float32Array;
  tf.dispose([x, dy, g]);
  return values;
}

await registerGradients();
const reference = new Map<number[], Float32Array>();
await tf.setBackend('cpu');
for (const shape of shapes) reference.set(shape, await tanhGradient('cpu', shape, false));

describe.each([{ backend: 'cpu', skip: undefined, device: 'cpu' }, ...(await checkedBackends())])('$backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  test.skipIf(skip !== undefined).each(shapes)(`${TANH_GRAD_KERNEL} gives tfjs-core's tanh gradient, shape %j`, async (...shape) => {
    await tf.setBackend(backend);
    registerTrainingKernels(backend as 'cpu' | 'wasm' | 'webgpu');
    expect(tf.getKernel(TANH_GRAD_KERNEL, backend)).toBeDefined();
    const got = await tanhGradient(backend, shape, true);
    const sameBackend = await tanhGradient(backend, shape, false);   // tfjs-core's three kernels, this backend
    const cpu = reference.get(shapes.find((s) => s.join() === shape.join())!)!;
    const maxError = (want: Float32Array): number => got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
    // Same float32 operations in the same order: exact on cpu and wasm; the GPU may contract to a fused multiply-add.
    expect(maxError(sameBackend)).toBeLessThanOrEqual(backend === 'webgpu' ? 1e-6 : 0);
    // Against cpu, the backends' own tanh forward differs by an ulp.
    expect(maxError(cpu)).toBeLessThanOrEqual(1e-6);
  });
});

test('without the kernel registered, models\' tanh falls back to tfjs-core\'s gradient', async () => {
  await tf.setBackend('cpu');
  unregisterTrainingKernels('cpu');
  expect(tf.getKernel(TANH_GRAD_KERNEL, 'cpu')).toBeUndefined();
  const got = await tanhGradient('cpu', shapes[0]!, true);
  expect(Array.from(got)).toEqual(Array.from(reference.get(shapes[0]!)!));
  registerTrainingKernels('cpu');
});

test('mismatched shapes are refused, naming both', async () => {
  await tf.setBackend('cpu');
  registerTrainingKernels('cpu');
  expect(() => tf.engine().runKernel(TANH_GRAD_KERNEL, { dy: tf.zeros([2, 3]), y: tf.zeros([3, 2]) })).toThrow(/dy is \[2, 3\] but y is \[3, 2\]/);
});
