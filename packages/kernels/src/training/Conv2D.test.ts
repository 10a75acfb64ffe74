import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, test } from 'vitest';
import { registerForgerKernels } from '../register.js';
import { compareWithCpu, convOutputShape, convShapes, relativeBound, uniformValues, type KernelCase } from '../test-support/kernel-check.js';

// The composite handles stride 1 into one output channel; the other shapes check it hands everything
// else to wasm's own kernel unchanged.
const shapes = [
  ...convShapes,
  { label: 'one output channel, 3×3 on 9×7, same', x: [2, 9, 7, 3], filter: [3, 3, 3, 1], stride: 1, pad: 'same' as const },
  { label: 'one output channel, 5×5 on 8×8, valid', x: [3, 8, 8, 5], filter: [5, 5, 5, 1], stride: 1, pad: 'valid' as const },
  { label: 'one output channel, 3×3, explicit padding', x: [2, 6, 6, 4], filter: [3, 3, 4, 1], stride: 1, pad: [[0, 0], [2, 0], [1, 2], [0, 0]] as const },
];

const cases = shapes.map((s, i) => ({
  label: s.label,
  outShape: Array.isArray(s.pad) ? null : convOutputShape(s.x, s.filter, s.stride, s.pad as 'same' | 'valid'),
  kernelCase: {
    kernelName: 'Conv2D',
    inputs: { x: uniformValues(s.x, 500 + 2 * i), filter: uniformValues(s.filter, 501 + 2 * i) },
    attrs: { strides: [s.stride, s.stride], pad: s.pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined },
  } satisfies KernelCase,
}));

test.each(cases)(`Conv2D on wasm matches cpu within ${relativeBound} × max|y|: $label`, async ({ kernelCase, outShape }) => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const r = await compareWithCpu('wasm', kernelCase);
  if (outShape !== null) expect(r.shape).toEqual(outShape);
  expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
});

test('the single-channel forward conv frees its intermediates', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const x = tf.ones([2, 8, 8, 4]);
  const w = tf.ones([3, 3, 4, 1]);
  const before = tf.engine().backend.numDataIds();
  const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
  expect(tf.engine().backend.numDataIds()).toBe(before + 1);
  // Centre pixel: 9 taps × 4 channels of ones; corner: 4 taps × 4 channels.
  const values = await y.data();
  expect(values[3 * 8 + 3]).toBe(36);
  expect(values[0]).toBe(16);
  tf.dispose([x, w, y]);
});
