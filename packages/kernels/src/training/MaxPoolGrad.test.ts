import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { backendsOwnKernel } from '../backend/backend-kernels.js';
import { checkedBackends, compareWithCpu, relativeBound, uniformValues, withKernel, type KernelCase } from '../test-support/kernel-check.js';
import { registerForgerKernels } from '../register.js';

interface PoolShape { label: string; x: number[]; size: number; stride: number; pad: 'same' | 'valid'; ties?: boolean }
const shapes: PoolShape[] = [
  { label: 'DCGAN D pool 1 (28×28×64, 2×2 stride 2)', x: [2, 28, 28, 64], size: 2, stride: 2, pad: 'valid' },
  { label: 'DCGAN D pool 2 (10×10×128, 2×2 stride 2)', x: [2, 10, 10, 128], size: 2, stride: 2, pad: 'valid' },
  { label: 'odd sizes, 2×2 stride 2, valid (last row and column unused)', x: [2, 9, 7, 3], size: 2, stride: 2, pad: 'valid' },
  { label: 'odd sizes, 2×2 stride 2, same', x: [2, 9, 7, 3], size: 2, stride: 2, pad: 'same' },
  { label: 'overlapping 3×3 stride 2, same', x: [2, 9, 8, 4], size: 3, stride: 2, pad: 'same' },
  { label: 'overlapping 3×3 stride 1, valid', x: [1, 7, 6, 2], size: 3, stride: 1, pad: 'valid' },
  { label: 'ties everywhere (values in {−1, 0, 1}), 2×2 stride 2', x: [2, 8, 8, 5], size: 2, stride: 2, pad: 'valid', ties: true },
  { label: 'ties, overlapping 3×3 stride 2, same', x: [2, 9, 9, 3], size: 3, stride: 2, pad: 'same', ties: true },
];

function poolCase(s: PoolShape, seed: number): KernelCase {
  const x = uniformValues(s.x, seed);
  if (s.ties) x.values.forEach((v, i) => { x.values[i] = Math.round(v); });
  const y = tf.tidy(() => tf.maxPool(tf.tensor4d(x.values, s.x as [number, number, number, number]), s.size, s.stride, s.pad));  // on cpu
  const yValues = { shape: [...y.shape] as number[], values: y.dataSync() as Float32Array };
  y.dispose();
  return {
    kernelName: 'MaxPoolGrad',
    inputs: { dy: uniformValues(yValues.shape, seed + 1), input: x, output: yValues },
    attrs: { filterSize: [s.size, s.size], strides: [s.stride, s.stride], pad: s.pad, dimRoundingMode: undefined },
  };
}

await tf.setBackend('cpu');
const cases = shapes.map((shape, i) => ({ shape, kernelCase: poolCase(shape, 700 + 2 * i) }));

test('wasm\'s own MaxPoolGrad disagrees with cpu (why Forger replaces it)', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const own = backendsOwnKernel('MaxPoolGrad', 'wasm')!;
  const r = await withKernel(own, () => compareWithCpu('wasm', cases[0]!.kernelCase));
  expect(r.maxAbsError).toBeGreaterThan(0.1);
});

test.each(cases)(`Forger's MaxPoolGrad on wasm matches cpu within ${relativeBound} × max|dx|: $shape.label`, async ({ kernelCase, shape }) => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const r = await compareWithCpu('wasm', kernelCase);
  expect(r.shape).toEqual(shape.x);
  expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
});

// Registered for wasm only: webgpu keeps its own, which agrees with cpu except where a window holds
// several equal maxima (it does not give dy to the first one only; see the package README).
describe.each((await checkedBackends()).filter((b) => b.backend === 'webgpu'))('MaxPoolGrad on $backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  const here = cases.filter(({ shape }) => shape.x[1]! <= 10 && !shape.ties);
  test.skipIf(skip !== undefined).each(here)(`webgpu's own matches cpu: $shape.label`, async ({ kernelCase }) => {
    await tf.setBackend(backend);
    const r = await compareWithCpu(backend, kernelCase);
    expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
  });
});

test('frees its intermediates', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const x = tf.tensor(uniformValues([2, 8, 8, 3], 1).values, [2, 8, 8, 3]) as tf.Tensor4D;
  const y = tf.maxPool(x, 2, 2, 'valid');
  const dy = tf.onesLike(y);
  const before = tf.engine().backend.numDataIds();
  const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y },
    { filterSize: [2, 2], strides: [2, 2], pad: 'valid' } as unknown as tf.NamedAttrMap) as tf.Tensor;
  expect(tf.engine().backend.numDataIds()).toBe(before + 1);
  // Each 2×2 window passes its one dy to exactly one input: the sum of dx is the number of windows.
  expect((await tf.sum(dx).data())[0]).toBe(2 * 4 * 4 * 3);
  tf.dispose([x, y, dy, dx]);
});
