import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, test } from 'vitest';
import { registerForgerKernels } from '../register.js';
import { compareWithCpu, convOutputShape, relativeBound, uniformValues, type KernelCase } from '../test-support/kernel-check.js';

// Forger's conv layers call tf.fused.conv2d (conv + bias). On wasm the one-output-channel case takes Forger's
// route and adds the bias after it; the rest, and any activation, go to wasm's own FusedConv2D.
const shapes = [
  { label: 'DCGAN G conv 2, one output channel (28×28×64 → 1, same): Forger\'s route', x: [2, 28, 28, 64], filter: [5, 5, 64, 1], activation: 'linear' },
  { label: 'one output channel, 3×3 on 9×7, valid: Forger\'s route', x: [2, 9, 7, 3], filter: [3, 3, 3, 1], activation: 'linear' },
  { label: 'DCGAN D conv 1 (28×28×1 → 64, same): wasm\'s own', x: [2, 28, 28, 1], filter: [5, 5, 1, 64], activation: 'linear' },
  { label: 'one output channel with relu: wasm\'s own', x: [2, 9, 7, 3], filter: [3, 3, 3, 1], activation: 'relu' },
];

const cases = shapes.map((s, i) => {
  const pad = s.label.includes('valid') ? 'valid' as const : 'same' as const;
  return {
    label: s.label,
    outShape: convOutputShape(s.x, s.filter, 1, pad),
    kernelCase: {
      kernelName: 'FusedConv2D',
      inputs: { x: uniformValues(s.x, 900 + 3 * i), filter: uniformValues(s.filter, 901 + 3 * i), bias: uniformValues([s.filter[3]!], 902 + 3 * i) },
      attrs: { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: s.activation },
    } satisfies KernelCase,
  };
});

test.each(cases)(`FusedConv2D on wasm matches cpu within ${relativeBound} × max|y|: $label`, async ({ kernelCase, outShape }) => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const r = await compareWithCpu('wasm', kernelCase);
  expect(r.shape).toEqual(outShape);
  expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
});

test('the one-channel route frees its intermediates and adds the bias', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const x = tf.ones([2, 8, 8, 4]);
  const w = tf.ones([3, 3, 4, 1]);
  const bias = tf.tensor1d([0.5]);
  const before = tf.engine().backend.numDataIds();
  const y = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias });
  expect(tf.engine().backend.numDataIds()).toBe(before + 1);
  const values = await y.data();
  expect(values[3 * 8 + 3]).toBe(36.5);   // centre: 9 taps × 4 channels of ones, plus the bias
  expect(values[0]).toBe(16.5);            // corner: 4 taps × 4 channels
  tf.dispose([x, w, bias, y]);
});
