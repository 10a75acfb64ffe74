import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { generatorLoss, weightedSigmoidCrossEntropy } from '@forger/models';
import { SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, SIGMOID_CROSS_ENTROPY_KERNEL } from '@forger/models/kernels';
import { describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { checkedBackends, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels, unregisterForgerKernels } from '../register.js';

// What a user of @forger/models gets: the GAN losses and their gradients with Forger's one-kernel forms
// registered, against the same losses composed of tfjs-core's ops, on the same backend. 700 logits (more
// than a workgroup's 256 threads), some of them ±30 (saturated sigmoids).
await registerGradients();
const n = 700;
const logitValues = uniformValues([n, 1], 91).values.map((v, i) => (i % 50 === 0 ? 30 * Math.sign(v) : 6 * v));

type Loss = (logits: tf.Tensor) => tf.Scalar;
const cases: Array<{ label: string; loss: () => Loss }> = [
  { label: 'the generator loss (target 1 and weight 1/n as numbers)', loss: () => generatorLoss },
  {
    label: 'a stacked D batch (per-row targets 0.9 / 0 and weights as tensors)',
    loss: () => {
      const targets = tf.tensor2d(Array.from({ length: n }, (_, i) => (i < n / 2 ? 0.9 : 0)), [n, 1]);
      const weights = tf.tensor2d(Array.from({ length: n }, () => 2 / n), [n, 1]);
      return (logits) => weightedSigmoidCrossEntropy(logits, targets, weights);
    },
  },
];

async function lossAndGradient(backend: string, makeLoss: () => Loss, forgers: boolean): Promise<{ value: number; grad: Float32Array }> {
  await tf.setBackend(backend);
  const name = backend as 'cpu' | 'wasm' | 'webgpu';
  if (forgers) registerForgerKernels(name);
  else unregisterForgerKernels(name);
  expect(tf.getKernel(SIGMOID_CROSS_ENTROPY_KERNEL, backend) !== undefined).toBe(forgers);
  const logits = tf.tensor2d(logitValues, [n, 1]);
  const loss = makeLoss();
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => loss(x))(logits);
  const result = { value: (await value.data())[0]!, grad: (await grad.data()) as Float32Array };
  tf.dispose([logits, value, grad]);
  registerForgerKernels(name);
  return result;
}

describe.each([{ backend: 'cpu', skip: undefined, device: 'cpu' }, ...(await checkedBackends())])('$backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  test.skipIf(skip !== undefined).each(cases)(`${SIGMOID_CROSS_ENTROPY_KERNEL} and its gradient give tfjs-core's values: $label`, async ({ loss }) => {
    const own = await lossAndGradient(backend, loss, false);
    const fused = await lossAndGradient(backend, loss, true);
    expect(Math.abs(fused.value - own.value)).toBeLessThanOrEqual(1e-5 * Math.abs(own.value));
    const scale = own.grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    fused.grad.forEach((g, i) => expect(Math.abs(g - own.grad[i]!)).toBeLessThanOrEqual(1e-5 * scale));
  });
});

test('targets of another shape and a non-scalar dy are refused, naming the shapes', async () => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const logits = tf.zeros([4, 1]);
  expect(() => tf.engine().runKernel(SIGMOID_CROSS_ENTROPY_KERNEL, { logits, targets: tf.zeros([4]) }, { target: 0, weight: 1 }))
    .toThrow(/"targets" is \[4\] but the logits are \[4, 1\]/);
  expect(() => tf.engine().runKernel(SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, { logits, dy: tf.zeros([4, 1]) }, { target: 0, weight: 1 }))
    .toThrow(/"dy" must be the loss's scalar gradient, got \[4, 1\]/);
});
