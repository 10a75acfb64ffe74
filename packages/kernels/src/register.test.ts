import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel } from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { registerGradients } from './node/register-gradients.js';
import { registerForgerKernels, forgerKernels, unregisterForgerKernels } from './register.js';

test('wasm gets the filter gradient it lacks, and Forger replaces its slow input gradient and product', async () => {
  await tf.setBackend('wasm');
  expect(getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  const ownInputGradient = getKernel('Conv2DBackpropInput', 'wasm');
  expect(ownInputGradient).toBeDefined();

  const names = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', 'Conv2D', 'FusedConv2D', 'MaxPoolGrad', 'ForgerActivationGrad', 'ForgerMovingAverage', 'ForgerMoments', 'ForgerBatchNormGrad', 'ForgerSigmoidCrossEntropy', 'ForgerSigmoidCrossEntropyGrad', 'ForgerRandomNoise', 'ForgerFusedAdamUpdate', 'ForgerFusedAdamBetaPowers', 'ForgerFusedMomentumUpdate'];
  expect(registerForgerKernels('wasm')).toEqual(names);
  expect(registerForgerKernels('wasm')).toEqual(names); // idempotent
  for (const config of forgerKernels('wasm')) expect(getKernel(config.kernelName, 'wasm')).toBe(config);

  unregisterForgerKernels('wasm');
  expect(getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  expect(getKernel('Conv2DBackpropInput', 'wasm')).toBe(ownInputGradient);
  expect(getKernel('ForgerActivationGrad', 'wasm')).toBeUndefined();
  expect(getKernel('ForgerFusedAdamUpdate', 'wasm')).toBeUndefined();   // the fused optimizers then compose tf ops
  registerForgerKernels('wasm');
});

test('webgpu is listed for the three convolutions, the product, the fused convolution and product with any activation, the one-kernel activation gradient batch norm loss bias-gradient and global-norm kernels, and the fused optimizer updates', () => {
  expect(forgerKernels('webgpu').map((k) => [k.kernelName, k.backendName])).toEqual([['Conv2DBackpropFilter', 'webgpu'], ['Conv2D', 'webgpu'], ['Conv2DBackpropInput', 'webgpu'], ['BatchMatMul', 'webgpu'], ['ForgerConv2D', 'webgpu'], ['ForgerMatMul', 'webgpu'], ['ForgerActivationGrad', 'webgpu'], ['ForgerMovingAverage', 'webgpu'], ['ForgerMoments', 'webgpu'], ['ForgerBatchNormGrad', 'webgpu'], ['ForgerSigmoidCrossEntropy', 'webgpu'], ['ForgerSigmoidCrossEntropyGrad', 'webgpu'], ['ForgerChannelSum', 'webgpu'], ['ForgerSumOfSquares', 'webgpu'], ['ForgerRandomNoise', 'webgpu'], ['ForgerFusedAdamUpdate', 'webgpu'], ['ForgerFusedAdamBetaPowers', 'webgpu'], ['ForgerFusedMomentumUpdate', 'webgpu']]);
});

test('cpu gets the corrected nearest-neighbour resize gradient, the fused convolution and product with any activation, the one-kernel activation gradient batch norm loss bias-gradient and global-norm kernels, and the fused optimizer updates', () => {
  expect(forgerKernels('cpu').map((k) => [k.kernelName, k.backendName])).toEqual([['ResizeNearestNeighborGrad', 'cpu'], ['ForgerConv2D', 'cpu'], ['ForgerMatMul', 'cpu'], ['ForgerActivationGrad', 'cpu'], ['ForgerMovingAverage', 'cpu'], ['ForgerMoments', 'cpu'], ['ForgerBatchNormGrad', 'cpu'], ['ForgerSigmoidCrossEntropy', 'cpu'], ['ForgerSigmoidCrossEntropyGrad', 'cpu'], ['ForgerChannelSum', 'cpu'], ['ForgerSumOfSquares', 'cpu'], ['ForgerRandomNoise', 'cpu'], ['ForgerFusedAdamUpdate', 'cpu'], ['ForgerFusedAdamBetaPowers', 'cpu'], ['ForgerFusedMomentumUpdate', 'cpu']]);
});

test('a DCGAN-shaped gradient runs on wasm once the kernels are registered', async () => {
  await registerGradients();
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const x = tf.randomUniform([2, 28, 28, 1], -1, 1);
  const w = tf.variable(tf.randomUniform([5, 5, 1, 64], -0.1, 0.1));
  const { grads } = tf.variableGrads(() => tf.sum(tf.tanh(tf.conv2d(x as tf.Tensor4D, w as tf.Variable<tf.Rank.R4>, 1, 'same'))) as tf.Scalar, [w]);
  const dw = grads[w.name]!;
  expect(dw.shape).toEqual([5, 5, 1, 64]);
  expect(Number.isFinite((await dw.data())[0]!)).toBe(true);
  tf.dispose([x, w, dw]);
});
