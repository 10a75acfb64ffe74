import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { convolveWithBias, fusedActivationOf, multiplyWithBias } from './fused-ops.js';
import { CONV_KERNEL, MATMUL_KERNEL } from './forger-kernels.js';
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

type Inputs = [tf.Tensor, tf.Tensor, tf.Tensor];
type Layer = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** The fused layer gives the plain one's values and, for the loss Σ y·dy, its gradients for x, w and b. */
function expectSameAsPlain(fused: Layer, plain: Layer, inputs: Inputs, dy: tf.Tensor): void {
  expectClose([fused(...inputs)], [plain(...inputs)]);
  const loss = (f: Layer) => (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(x, w, b), dy));
  expectClose(tf.grads(loss(fused))(inputs), tf.grads(loss(plain))(inputs));
}

type Activation = 'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid';
const activate = (y: tf.Tensor, activation: Activation): tf.Tensor => {
  switch (activation) {
    case 'relu': return tf.relu(y);
    case 'leaky_relu': return tf.leakyRelu(y, 0.2);
    case 'tanh': return tf.tanh(y);
    case 'sigmoid': return tf.sigmoid(y);
    case 'linear': return y;
  }
};
const fusedOf = (activation: Activation) => fusedActivationOf(activation, 0.2)!;
const fusedProduct = (activation: Activation): Layer => (x, w, b) => multiplyWithBias(x as tf.Tensor2D, w as tf.Tensor2D, b, fusedOf(activation));
const plainProduct = (activation: Activation): Layer => (x, w, b) => activate(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b), activation);

describe('fused convolution + bias + activation', () => {
  it.each([
    { stride: 1, pad: 'same', activation: 'linear' },
    { stride: 1, pad: 'valid', activation: 'relu' },
    { stride: 2, pad: 'same', activation: 'relu' },
    { stride: 2, pad: 'valid', activation: 'linear' },
    { stride: 1, pad: 'same', activation: 'leaky_relu' },
    { stride: 1, pad: 'same', activation: 'tanh' },
    { stride: 2, pad: 'valid', activation: 'sigmoid' },
  ] as const)('values and gradients equal conv2d + bias (+ activation): stride $stride, $pad, $activation', ({ stride, pad, activation }) => {
    const x = normal([2, 7, 6, 3]);
    const w = normal([3, 3, 3, 4]);
    const b = normal([4]);
    const fused = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => convolveWithBias(xi as tf.Tensor4D, wi as tf.Tensor4D, bi, stride, pad, fusedOf(activation));
    const plain = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => activate(tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, stride, pad), bi), activation);
    const dy = normal(plain(x, w, b).shape);
    expectSameAsPlain(fused, plain, [x, w, b], dy);
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
  it.each(['linear', 'relu', 'leaky_relu', 'tanh', 'sigmoid'] as const)('values and gradients equal matMul + bias (+ activation): %s', (activation) => {
    const [x, w, b, dy] = [normal([5, 7]), normal([7, 3]), normal([3]), normal([5, 3])];
    const fused = fusedProduct(activation);
    const plain = plainProduct(activation);
    expectSameAsPlain(fused, plain, [x, w, b], dy);
  });
});

describe('fusedActivationOf', () => {
  it('fuses only activations whose gradient follows from the output', () => {
    expect(fusedActivationOf('linear', 0.2)).toEqual({ kind: 'linear' });
    expect(fusedActivationOf('relu', 0.2)).toEqual({ kind: 'relu' });
    expect(fusedActivationOf('leaky_relu', 0.2)).toEqual({ kind: 'leakyrelu', slope: 0.2 });
    expect(fusedActivationOf('leaky_relu', -0.5)).toBeUndefined();   // y > 0 no longer marks x > 0
    expect(fusedActivationOf('tanh', 0.2)).toEqual({ kind: 'tanh' });
    expect(fusedActivationOf('sigmoid', 0.2)).toEqual({ kind: 'sigmoid' });
    expect(fusedActivationOf('softplus', 0.2)).toBeUndefined();
  });
});

/**
 * A backend that registers Forger's CONV_KERNEL / MATMUL_KERNEL (as trainer-node does for webgpu) gets every
 * activation in the one kernel, with the same values and gradients. Here a cpu stand-in: tfjs's fused kernel
 * (linear), then the activation's own kernel.
 */
describe('with CONV_KERNEL and MATMUL_KERNEL registered', () => {
  const activationKernels: Record<string, string> = { relu: 'Relu', leakyrelu: 'LeakyRelu', tanh: 'Tanh', sigmoid: 'Sigmoid' };
  const standIn = (kernelName: string, fused: string): tf.KernelConfig => ({
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs = {}, backend }) => {
      const own = (name: string) => tf.getKernel(name, 'cpu')!.kernelFunc;
      const rank2 = kernelName === MATMUL_KERNEL;
      const z = own(fused)({ inputs, attrs: { ...attrs, activation: 'linear', transposeA: false, transposeB: false }, backend }) as tf.TensorInfo;
      const activation = attrs['activation'] as string;
      if (activation === 'linear') return z;
      const y = own(activationKernels[activation]!)({ inputs: { x: z }, attrs: { alpha: attrs['leakyreluAlpha'] ?? 0 }, backend }) as tf.TensorInfo;
      (backend as tf.KernelBackend).disposeData(z.dataId);
      return rank2 ? { ...y, shape: y.shape.slice(-2) } : y;
    },
  });
  beforeAll(() => {
    tf.registerKernel(standIn(CONV_KERNEL, tf.FusedConv2D));
    tf.registerKernel(standIn(MATMUL_KERNEL, tf._FusedMatMul));
    return () => {
      tf.unregisterKernel(CONV_KERNEL, 'cpu');
      tf.unregisterKernel(MATMUL_KERNEL, 'cpu');
    };
  });

  it.each(['tanh', 'sigmoid', 'leaky_relu', 'linear'] as const)('convolution: values, gradients and one kernel forward (%s)', async (activation) => {
    const x = normal([2, 7, 6, 3]);
    const w = normal([3, 3, 3, 4]);
    const b = normal([4]);
    const fused = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => convolveWithBias(xi as tf.Tensor4D, wi as tf.Tensor4D, bi, 2, 'same', fusedOf(activation));
    const plain = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => activate(tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same'), bi), activation);
    const dy = normal(plain(x, w, b).shape);
    const profile = await tf.profile(() => fused(x, w, b));
    expect(profile.kernels.map((k) => k.name)).toEqual([CONV_KERNEL]);
    expectSameAsPlain(fused, plain, [x, w, b], dy);
  });

  it.each(['tanh', 'sigmoid', 'relu'] as const)('matrix product: values, gradients and one kernel forward (%s)', async (activation) => {
    const [x, w, b, dy] = [normal([5, 7]), normal([7, 3]), normal([3]), normal([5, 3])];
    const fused = fusedProduct(activation);
    const plain = plainProduct(activation);
    const profile = await tf.profile(() => fused(x, w, b));
    expect(profile.kernels.map((k) => k.name)).toEqual([MATMUL_KERNEL]);
    expectSameAsPlain(fused, plain, [x, w, b], dy);
  });
});
