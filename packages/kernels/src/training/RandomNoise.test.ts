import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { applyRandomNoise, noiseValues, RANDOM_NOISE_KERNEL, type RandomNoiseAttrs } from '@forger/models/kernels';
import { describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { checkedBackends, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels, unregisterForgerKernels } from '../register.js';

// ForgerRandomNoise (dropout and Gaussian noise made where they are applied) against @forger/models' reference
// values, on every backend, and what a training run relies on: the same mask everywhere, the right statistics, the
// gradient, and the fallback without the kernel giving the same values.
await registerGradients();
const shape = [4, 20, 20, 16];
const size = shape.reduce((a, b) => a * b, 1);

/** y from the reference values, in float32 as a backend applies them. */
function reference(x: Float32Array, attrs: RandomNoiseAttrs): Float32Array {
  const v = noiseValues(attrs, x.length);
  return Float32Array.from(x, (xi, i) => (attrs.kind === 'dropout' ? xi * v[i]! : xi + v[i]!));
}

async function run(backend: string, attrs: RandomNoiseAttrs, withKernel = true): Promise<{ x: Float32Array; y: Float32Array; profiled: string[] }> {
  await tf.setBackend(backend);
  if (withKernel) registerForgerKernels(backend as 'cpu' | 'wasm' | 'webgpu');
  else unregisterForgerKernels(backend as 'cpu' | 'wasm' | 'webgpu');
  const x = tf.tensor(uniformValues(shape, 61).values, shape);
  const profile = await tf.profile(() => applyRandomNoise(x, attrs));
  const y = profile.result as tf.Tensor;
  const out = { x: (await x.data()) as Float32Array, y: (await y.data()) as Float32Array, profiled: profile.kernels.map((k) => k.name) };
  tf.dispose([x, y]);
  if (!withKernel) registerForgerKernels(backend as 'cpu' | 'wasm' | 'webgpu');
  return out;
}

const dropout: RandomNoiseAttrs = { kind: 'dropout', rate: 0.3, seed: 0xdeadbeef };
const gaussian: RandomNoiseAttrs = { kind: 'gaussian', rate: 0.5, seed: 12345 };

describe.each([{ backend: 'cpu', skip: undefined, device: 'cpu' }, ...(await checkedBackends())])('$backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});

  test.skipIf(skip !== undefined)('dropout: the reference mask bit for bit, in one kernel', async () => {
    const r = await run(backend, dropout);
    expect(r.profiled).toEqual([RANDOM_NOISE_KERNEL]);
    expect(Array.from(r.y)).toEqual(Array.from(reference(r.x, dropout)));
    const kept = r.y.filter((v) => v !== 0).length / size;
    expect(Math.abs(kept - 0.7)).toBeLessThan(4 * Math.sqrt((0.7 * 0.3) / size));
  });

  test.skipIf(skip !== undefined)('gaussian: the reference noise (float rounding apart), mean 0 and deviation `rate`', async () => {
    const r = await run(backend, gaussian);
    expect(r.profiled).toEqual([RANDOM_NOISE_KERNEL]);
    const want = reference(r.x, gaussian);
    const maxError = r.y.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
    // Same values on cpu and wasm. A GPU's log and cos are float32 approximations (WGSL bounds cos's absolute error by
    // 2⁻¹¹ on [−π, π]; times the radius √(−2 ln u) ≤ 5.8 and the deviation 0.5: 1.4e-3).
    expect(maxError).toBeLessThanOrEqual(backend === 'webgpu' ? 1.5e-3 : 0);
    const noise = r.y.map((v, i) => v - r.x[i]!);
    const mean = noise.reduce((a, b) => a + b, 0) / size;
    const sd = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / size);
    expect(Math.abs(mean)).toBeLessThan(4 * (0.5 / Math.sqrt(size)));
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.01);
  });

  test.skipIf(skip !== undefined)('the gradient: dy through the same mask (dropout), dy itself (gaussian)', async () => {
    await tf.setBackend(backend);
    registerForgerKernels(backend as 'cpu' | 'wasm' | 'webgpu');
    const x = tf.tensor(uniformValues(shape, 62).values, shape);
    const dy = tf.tensor(uniformValues(shape, 63).values, shape);
    for (const attrs of [dropout, gaussian]) {
      const g = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(applyRandomNoise(input, attrs), dy)))(x);
      const got = (await g.data()) as Float32Array;
      const dyValues = (await dy.data()) as Float32Array;
      const want = attrs.kind === 'dropout' ? reference(dyValues, attrs) : dyValues;
      expect(Array.from(got)).toEqual(Array.from(want));
      g.dispose();
    }
    tf.dispose([x, dy]);
  });
});

test('without the kernel the layer makes the same mask on the CPU and applies it with one tfjs op', async () => {
  const withKernel = await run('cpu', dropout);
  const without = await run('cpu', dropout, false);
  expect(without.profiled).not.toContain(RANDOM_NOISE_KERNEL);
  expect(Array.from(without.y)).toEqual(Array.from(withKernel.y));
});

test('another seed gives another mask; the same seed the same one', async () => {
  const a = noiseValues(dropout, 1000);
  expect(Array.from(noiseValues(dropout, 1000))).toEqual(Array.from(a));
  const b = noiseValues({ ...dropout, seed: dropout.seed + 1 }, 1000);
  const same = a.filter((v, i) => v === b[i]).length;
  expect(same).toBeLessThan(700);   // independent masks agree on 0.7² + 0.3² = 58 % of elements
});

test('bad attributes are refused, naming what was wrong', async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const call = (attrs: Record<string, unknown>) => () => tf.engine().runKernel(RANDOM_NOISE_KERNEL, { x: tf.zeros([3]) }, attrs as tf.NamedAttrMap);
  expect(call({ kind: 'salt', rate: 0.1, seed: 1 })).toThrow(/kind must be "dropout" or "gaussian", got "salt"/);
  expect(call({ kind: 'dropout', rate: 1, seed: 1 })).toThrow(/dropout rate must be in \[0, 1\), got 1/);
  expect(call({ kind: 'gaussian', rate: 0.1, seed: -1 })).toThrow(/seed must be an integer in \[0, 2\^32\), got -1/);
});
