import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { convolveWithBias, fusedActivationOf, multiplyWithBias } from './fused-ops.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

const rng = Rng.fromSeed(11);
const normal = (shape: number[]): tf.Tensor => {
  const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
  rng.fillNormal(a, 0, 1);
  return tf.tensor(a, shape);
};

function expectClose(got: tf.Tensor[], want: tf.Tensor[]): void {
  expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
  got.forEach((g, i) => {
    const w = want[i]!.dataSync();
    const scale = Math.max(...Array.from(w, Math.abs));
    g.dataSync().forEach((v, j) => expect(Math.abs(v - w[j]!)).toBeLessThanOrEqual(1e-5 * scale));
  });
}

type Activation = 'linear' | 'relu' | 'leaky_relu';
const activate = (y: tf.Tensor, activation: Activation): tf.Tensor => (activation === 'relu' ? tf.relu(y) : activation === 'leaky_relu' ? tf.leakyRelu(y, 0.2) : y);
const fusedOf = (activation: Activation) => fusedActivationOf(activation, 0.2)!;

describe('fused convolution + bias + activation', () => {
  it.each([
    { stride: 1, pad: 'same', activation: 'linear' },
    { stride: 1, pad: 'valid', activation: 'relu' },
    { stride: 2, pad: 'same', activation: 'relu' },
    { stride: 2, pad: 'valid', activation: 'linear' },
    { stride: 1, pad: 'same', activation: 'leaky_relu' },
  ] as const)('values and gradients equal conv2d + bias (+ activation): stride $stride, $pad, $activation', ({ stride, pad, activation }) => {
    const x = normal([2, 7, 6, 3]);
    const w = normal([3, 3, 3, 4]);
    const b = normal([4]);
    const fused = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => convolveWithBias(xi as tf.Tensor4D, wi as tf.Tensor4D, bi, stride, pad, fusedOf(activation));
    const plain = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => activate(tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, stride, pad), bi), activation);
    const dy = normal(plain(x, w, b).shape);
    expectClose([fused(x, w, b)], [plain(x, w, b)]);
    const loss = (f: typeof plain) => (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(xi, wi, bi), dy));
    expectClose(tf.grads(loss(fused))([x, w, b]), tf.grads(loss(plain))([x, w, b]));
  });

  it('computes only the gradients the step needs: none for the input or a frozen filter', async () => {
    const x = normal([2, 6, 6, 3]);
    const frozen = tf.variable(normal([3, 3, 3, 4]), false);
    const w = tf.variable(normal([3, 3, 3, 4]), true);
    const b = tf.variable(normal([4]), true);
    // The generator's step: a trained layer feeding a frozen one (the discriminator's).
    const profile = await tf.profile(() => {
      const { grads } = tf.variableGrads(() => tf.sum(convolveWithBias(convolveWithBias(x as tf.Tensor4D, w as tf.Tensor4D, b, 1, 'same', { kind: 'relu' }), frozen as tf.Tensor4D, undefined, 1, 'same', { kind: 'linear' })), [w, b]);
      tf.dispose(Object.values(grads));
    });
    const count = (name: string): number => profile.kernels.filter((k) => k.name === name).length;
    expect(count('Conv2DBackpropFilter')).toBe(1);  // the trained filter's, not the frozen one's
    expect(count('Conv2DBackpropInput')).toBe(1);   // through the frozen layer, not down to the data
  });
});

describe('fused matrix product + bias + activation', () => {
  it.each(['linear', 'relu', 'leaky_relu'] as const)('values and gradients equal matMul + bias (+ activation): %s', (activation) => {
    const x = normal([5, 7]);
    const w = normal([7, 3]);
    const b = normal([3]);
    const dy = normal([5, 3]);
    const fused = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => multiplyWithBias(xi as tf.Tensor2D, wi as tf.Tensor2D, bi, fusedOf(activation));
    const plain = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => activate(tf.add(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), bi), activation);
    expectClose([fused(x, w, b)], [plain(x, w, b)]);
    const loss = (f: typeof plain) => (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(xi, wi, bi), dy));
    expectClose(tf.grads(loss(fused))([x, w, b]), tf.grads(loss(plain))([x, w, b]));
  });
});

describe('fusedActivationOf', () => {
  it('fuses only activations whose gradient is a mask on the output', () => {
    expect(fusedActivationOf('linear', 0.2)).toEqual({ kind: 'linear' });
    expect(fusedActivationOf('relu', 0.2)).toEqual({ kind: 'relu' });
    expect(fusedActivationOf('leaky_relu', 0.2)).toEqual({ kind: 'leakyrelu', slope: 0.2 });
    expect(fusedActivationOf('leaky_relu', -0.5)).toBeUndefined();   // y > 0 no longer marks x > 0
    expect(fusedActivationOf('tanh', 0.2)).toBeUndefined();
    expect(fusedActivationOf('sigmoid', 0.2)).toBeUndefined();
  });
});
