import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { registerForgerKernels } from '../register.js';
import { checkedBackends, compareWithCpu, withKernel, convOutputShape, convShapes, relativeBound, uniformValues, type ConvShape, type KernelCase } from '../test-support/kernel-check.js';

function inputGradientCase(s: ConvShape, seed: number): KernelCase {
  return {
    kernelName: 'Conv2DBackpropInput',
    inputs: { dy: uniformValues(convOutputShape(s.x, s.filter, s.stride, s.pad), seed), filter: uniformValues(s.filter, seed + 1) },
    attrs: { strides: [s.stride, s.stride], pad: s.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: s.x },
  };
}

const cases = convShapes.map((shape, i) => ({ shape, kernelCase: inputGradientCase(shape, 100 + 2 * i) }));

// Registered for wasm only (webgpu's own is fast), but written for both, so it is checked on both.
describe.each(await checkedBackends())('Conv2DBackpropInput on $backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  const here = cases.filter(({ shape }) => backend === 'wasm' || shape.onSoftwareGpu);
  test.skipIf(skip !== undefined).each(here)(`matches cpu within ${relativeBound} × max|dx|: $shape.label`, async ({ shape, kernelCase }) => {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    const r = await withKernel(conv2DBackpropInputConfig(backend), () => compareWithCpu(backend, kernelCase));
    expect(r.shape).toEqual(shape.x);
    expect(r.referenceScale).toBeGreaterThan(0.1);
    expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
  });
});

test('the wasm filter gradient frees every intermediate it makes', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const filter = tf.tensor(uniformValues([3, 3, 3, 4], 1).values, [3, 3, 3, 4]);
  const dy = tf.tensor(uniformValues([2, 5, 5, 4], 2).values, [2, 5, 5, 4]);
  const before = tf.engine().backend.numDataIds();
  const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter },
    { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [2, 9, 9, 3] } as unknown as tf.NamedAttrMap) as tf.Tensor;
  expect(tf.engine().backend.numDataIds()).toBe(before + 1);
  tf.dispose([dx, filter, dy]);
});

test('rejects NCHW with a KernelError naming the kernel and backend', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const filter = tf.zeros([3, 3, 3, 4]);
  const dy = tf.zeros([1, 4, 8, 8]);
  expect(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter },
    { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', inputShape: [1, 3, 8, 8] } as unknown as tf.NamedAttrMap))
    .toThrow(/Conv2DBackpropInput on wasm: dataFormat "NCHW"/);
  tf.dispose([filter, dy]);
});
