import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { globalNorm } from '@forger/models';
import { SUM_OF_SQUARES_KERNEL, SUM_OF_SQUARES_PARTS } from '@forger/models/kernels';
import { afterAll, describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { probeWebGpu, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels, unregisterForgerKernels } from '../register.js';

// ForgerSumOfSquares (gradient clipping's global norm) against tfjs-core's Square + Sum on the cpu backend: one tensor,
// seven of mixed sizes (a scalar-sized one, ones smaller than a workgroup, one larger than all 64 workgroups' stride),
// and the norm @forger/models computes with it over 26 gradients (4 groups).
await registerGradients();
const webgpu = await probeWebGpu();
const groups = [[[300]], [[1], [5, 3], [100], [2, 48, 48, 3], [1000, 7], [17], [64, 64]]];
afterAll(() => tf.setBackend('cpu'));

function tensors(shapes: number[][]): tf.Tensor[] {
  return shapes.map((shape, i) => tf.tensor(uniformValues(shape, 40 + i).values, shape));
}

async function reference(shapes: number[][]): Promise<number> {
  await tf.setBackend('cpu');
  unregisterForgerKernels('cpu');
  const xs = tensors(shapes);
  const total = tf.addN(xs.map((x) => tf.sum(tf.square(x))));
  const value = (await total.data())[0]!;
  tf.dispose([...xs, total]);
  registerForgerKernels('cpu');
  return value;
}

describe.each([{ backend: 'cpu', skip: undefined as string | undefined }, { backend: 'webgpu', skip: webgpu.reason }])('on $backend', ({ backend, skip }) => {
  test.skipIf(skip !== undefined).each(groups.map((g) => [g.length, g] as const))(`sums the squares of %i tensors into ${SUM_OF_SQUARES_PARTS} parts whose total is tfjs-core's${skip ? ` (skipped: ${skip})` : ''}`, async (_, shapes) => {
    const want = await reference(shapes);
    await tf.setBackend(backend);
    registerForgerKernels(backend as 'cpu' | 'webgpu');
    const xs = tensors(shapes);
    const parts = tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, Object.fromEntries(xs.map((x, i) => [`x${i}`, x])), {}) as tf.Tensor;
    expect(parts.shape).toEqual([SUM_OF_SQUARES_PARTS]);
    const got = ((await parts.data()) as Float32Array).reduce((a, b) => a + b, 0);
    expect(Math.abs(got - want) / want).toBeLessThanOrEqual(1e-5);
    tf.dispose([...xs, parts]);
  });

  test.skipIf(skip !== undefined)(`globalNorm over 26 gradients agrees with the composed norm${skip ? ` (skipped: ${skip})` : ''}`, async () => {
    const shapes = Array.from({ length: 26 }, (_, i) => (i % 2 === 0 ? [5, 5, 3, 8 + i] : [8 + i]));
    const want = Math.sqrt(await reference(shapes));
    await tf.setBackend(backend);
    registerForgerKernels(backend as 'cpu' | 'webgpu');
    const xs = tensors(shapes);
    const profile = await tf.profile(() => globalNorm(xs));
    const norm = profile.result as tf.Tensor;
    expect(Math.abs((await norm.data())[0]! - want) / want).toBeLessThanOrEqual(1e-5);
    // 4 groups of at most 7, then AddN, Sum and Sqrt: no per-gradient Square
    expect(profile.kernels.filter((k) => k.name === SUM_OF_SQUARES_KERNEL)).toHaveLength(4);
    expect(profile.kernels.some((k) => k.name === 'Square')).toBe(false);
    tf.dispose([...xs, norm]);
  });
});

test('the kernel refuses no inputs, more than 7, and gaps in x0 … x6', async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const x = tf.ones([3]);
  const named = (names: string[]) => Object.fromEntries(names.map((n) => [n, x]));
  expect(() => tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, {}, {})).toThrow(/inputs must be x0 … x6 without gaps, got none/);
  expect(() => tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, named(['x0', 'x2']), {})).toThrow(/without gaps, got x0, x2/);
  expect(() => tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, named(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']), {})).toThrow(/without gaps/);
  x.dispose();
});
