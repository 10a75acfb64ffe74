import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { customDispatchCount } from '../webgpu/compute-dispatch.js';
import { FILTER_GRADIENT_FLAG } from './webgpu-conv-routes.js';
import { registerForgerKernels } from '../register.js';
import { checkedBackends, compareWithCpu, convOutputShape, convShapes, relativeBound, uniformValues, type ConvShape, type KernelCase } from '../test-support/kernel-check.js';

function filterGradientCase(s: ConvShape, seed: number): KernelCase {
  return {
    kernelName: 'Conv2DBackpropFilter',
    inputs: { x: uniformValues(s.x, seed), dy: uniformValues(convOutputShape(s.x, s.filter, s.stride, s.pad), seed + 1) },
    attrs: { strides: [s.stride, s.stride], pad: s.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: s.filter },
  };
}

// tfjs's cpu filter gradient needs 3–7 s for the 64/128-channel DCGAN layers at 14×14: the same channels
// on a smaller image check the same code in a second.
const shapes = convShapes.map((s) => {
  if (s.label.startsWith('DCGAN G conv 1')) return { ...s, label: 'DCGAN G conv 1 channels (7×7×128 → 64, same)', x: [1, 7, 7, 128] };
  if (s.label.startsWith('DCGAN D conv 2')) return { ...s, label: 'DCGAN D conv 2 channels (9×9×64 → 128, valid)', x: [1, 9, 9, 64] };
  return s;
});
const cases = shapes.map((shape, i) => ({ shape, kernelCase: filterGradientCase(shape, 100 + 2 * i) }));

describe.each(await checkedBackends())('Conv2DBackpropFilter on $backend, composite route ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  const here = cases.filter(({ shape }) => backend === 'wasm' || shape.onSoftwareGpu);
  test.skipIf(skip !== undefined).each(here)(`matches cpu within ${relativeBound} × max|dW|: $shape.label`, async ({ shape, kernelCase }) => {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    tf.env().set(FILTER_GRADIENT_FLAG, 'composite');   // webgpu's default is the direct route, checked below
    const r = await compareWithCpu(backend, kernelCase).finally(() => tf.env().set(FILTER_GRADIENT_FLAG, 'direct'));
    expect(r.shape).toEqual(shape.filter);
    expect(r.referenceScale).toBeGreaterThan(0.1);
    expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
  });
});

// The direct WGSL route on webgpu: same cases, plus a batch large enough to be split (split-K) and summed.
describe.each((await checkedBackends()).filter((b) => b.backend === 'webgpu'))('Conv2DBackpropFilter on $backend, direct WGSL route ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  const split: ConvShape = { label: '3×3 on 6×6, 40 images (split over the batch)', x: [40, 6, 6, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'same', onSoftwareGpu: true };
  const here = [...cases.filter(({ shape }) => shape.onSoftwareGpu), { shape: split, kernelCase: filterGradientCase(split, 300) }];
  test.skipIf(skip !== undefined).each(here)(`matches cpu within ${relativeBound} × max|dW|: $shape.label`, async ({ shape, kernelCase }) => {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    tf.env().set(FILTER_GRADIENT_FLAG, 'direct');
    try {
      const dispatchesBefore = customDispatchCount();
      const r = await compareWithCpu(backend, kernelCase);
      expect(customDispatchCount() - dispatchesBefore).toBeGreaterThanOrEqual(1);   // it took the WGSL route
      expect(r.shape).toEqual(shape.filter);
      expect(r.referenceScale).toBeGreaterThan(0.1);
      expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
    } finally {
      tf.env().set(FILTER_GRADIENT_FLAG, 'direct');
    }
  });
});

test('the wasm filter gradient frees every intermediate it makes', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const x = tf.tensor(uniformValues([2, 9, 9, 3], 1).values, [2, 9, 9, 3]);
  const dy = tf.tensor(uniformValues([2, 5, 5, 4], 2).values, [2, 5, 5, 4]);
  const before = tf.engine().backend.numDataIds();
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
    { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] } as unknown as tf.NamedAttrMap) as tf.Tensor;
  expect(tf.engine().backend.numDataIds()).toBe(before + 1);
  tf.dispose([dw, x, dy]);
});

test('rejects NCHW with a KernelError naming the kernel and backend', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const x = tf.zeros([1, 3, 8, 8]);
  const dy = tf.zeros([1, 4, 8, 8]);
  expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
    { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] } as unknown as tf.NamedAttrMap))
    .toThrow(/Conv2DBackpropFilter on wasm: dataFormat "NCHW"/);
  tf.dispose([x, dy]);
});
