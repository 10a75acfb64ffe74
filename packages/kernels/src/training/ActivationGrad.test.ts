import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ACTIVATION_GRAD_KERNEL, activateWithOutputGradient, type OutputDifferentiable } from '@forger/models/kernels';
import { describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { checkedBackends, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels, unregisterForgerKernels } from '../register.js';

// What a user of @forger/models gets: the gradient of its activations with Forger's one-kernel gradient
// registered, against tfjs-core's own gradient of the plain op on the same backend.
await registerGradients();
const activations: OutputDifferentiable[] = [{ kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'relu' }, { kind: 'leakyrelu', slope: 0.2 }];
const shape = [2, 14, 14, 8];

function plainOp(x: tf.Tensor, a: OutputDifferentiable): tf.Tensor {
  switch (a.kind) {
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'relu': return tf.relu(x);
    case 'leakyrelu': return tf.leakyRelu(x, a.slope);
  }
}

async function gradient(backend: string, a: OutputDifferentiable, forgers: boolean): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor(uniformValues(shape, 41).values.map((v) => 3 * v), shape);
  const dy = tf.tensor(uniformValues(shape, 42).values, shape);
  const f = (input: tf.Tensor): tf.Tensor => tf.sum(tf.mul(forgers ? activateWithOutputGradient(input, a) : plainOp(input, a), dy));
  const g = tf.grad(f)(x);
  const values = (await g.data()) as Float32Array;
  tf.dispose([x, dy, g]);
  return values;
}

describe.each([{ backend: 'cpu', skip: undefined, device: 'cpu' }, ...(await checkedBackends())])('$backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  test.skipIf(skip !== undefined).each(activations)(`${ACTIVATION_GRAD_KERNEL} gives tfjs-core's gradient: $kind`, async (a) => {
    await tf.setBackend(backend);
    registerForgerKernels(backend as 'cpu' | 'wasm' | 'webgpu');
    expect(tf.getKernel(ACTIVATION_GRAD_KERNEL, backend)).toBeDefined();
    const got = await gradient(backend, a, true);
    const want = await gradient(backend, a, false);
    const maxError = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
    // Same float32 operations in the same order: exact on cpu and wasm; the GPU may contract to a fused multiply-add.
    expect(maxError).toBeLessThanOrEqual(backend === 'webgpu' ? 1e-6 : 0);
    expect(got.some((v) => v !== 0)).toBe(true);
  });
});

test('without the kernel registered, the activations fall back to tfjs-core\'s gradients', async () => {
  await tf.setBackend('cpu');
  unregisterForgerKernels('cpu');
  expect(tf.getKernel(ACTIVATION_GRAD_KERNEL, 'cpu')).toBeUndefined();
  expect(Array.from(await gradient('cpu', { kind: 'tanh' }, true))).toEqual(Array.from(await gradient('cpu', { kind: 'tanh' }, false)));
  registerForgerKernels('cpu');
});

test('mismatched shapes, unknown activations and a non-positive leaky slope are refused, naming what was wrong', async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const run = (dy: tf.Tensor, y: tf.Tensor, attrs: Record<string, unknown>) => () => tf.engine().runKernel(ACTIVATION_GRAD_KERNEL, { dy, y }, attrs as tf.NamedAttrMap);
  expect(run(tf.zeros([2, 3]), tf.zeros([3, 2]), { activation: 'tanh', alpha: 0 })).toThrow(/dy is \[2, 3\] but y is \[3, 2\]/);
  expect(run(tf.zeros([2]), tf.zeros([2]), { activation: 'elu', alpha: 0 })).toThrow(/activation "elu" is not one of tanh, sigmoid, relu, leakyrelu/);
  expect(run(tf.zeros([2]), tf.zeros([2]), { activation: 'leakyrelu', alpha: 0 })).toThrow(/slope must be > 0/);
});
