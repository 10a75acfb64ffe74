import { registerKernel, unregisterKernel, getKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { backendsOwnKernel, rememberOwnKernel } from './backend/backend-kernels.js';
import { activationGradConfig } from './training/ActivationGrad.js';
import { randomNoiseConfig } from './training/RandomNoise.js';
import { batchMatMulConfig } from './training/BatchMatMul.js';
import { batchNormGradConfig } from './training/BatchNormGrad.js';
import { batchNormMomentsConfig } from './training/BatchNormMoments.js';
import { channelSumConfig } from './training/ChannelSum.js';
import { conv2DConfig } from './training/Conv2D.js';
import { conv2DBackpropFilterConfig } from './training/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './training/Conv2DBackpropInput.js';
import { forgerConv2DConfig } from './training/ForgerConv2D.js';
import { forgerMatMulConfig } from './training/ForgerMatMul.js';
import { fusedConv2DConfig } from './training/FusedConv2D.js';
import { maxPoolGradConfig } from './training/MaxPoolGrad.js';
import { movingAverageConfig } from './training/MovingAverage.js';
import { resizeNearestNeighborGradConfig } from './training/ResizeNearestNeighborGrad.js';
import { sigmoidCrossEntropyConfig } from './training/SigmoidCrossEntropy.js';
import { sigmoidCrossEntropyGradConfig } from './training/SigmoidCrossEntropyGrad.js';
import { sumOfSquaresConfig } from './training/SumOfSquares.js';
import { fusedAdamBetaPowersConfig } from './optimizers/FusedAdamBetaPowers.js';
import { fusedAdamUpdateConfig } from './optimizers/FusedAdamUpdate.js';
import { fusedMomentumUpdateConfig } from './optimizers/FusedMomentumUpdate.js';
import type { KernelBackendName } from './backend/backend-names.js';

/**
 * The one table of Forger's kernels, training and optimizer alike, and one rule: `registerForgerKernels(backend)`
 * registers that backend's row, replacing the backend's own kernel where it has one (issue 15: this merged the
 * training list with the fused optimizers', which registered lazily from an optimizer's constructor). A composite is written once and listed for every backend
 * that lacks a fast one of its own (measured with trainer-node's `src/bench/kernels.ts`, see this package's README):
 * - Conv2DBackpropFilter: missing on wasm; on webgpu 5× slower than the composite (issue 7).
 * - Conv2DBackpropInput: wasm's is a naive loop, 12× slower than its forward conv; webgpu's own is fine
 *   (15 of 347 ms in issue 7's profile).
 * - BatchMatMul: wasm's transposed variants (every dense-layer gradient) leave XNNPACK for a loop 10–40×
 *   slower; the composite transposes explicitly and runs the fast untransposed product.
 * - Conv2D: on wasm, a convolution to one output channel (DCGAN's image layer) as a matrix product plus
 *   a one-hot convolution, 2× faster; every other convolution goes to the backend's own kernel. The two gradients above take
 *   the same route when one side has a single channel. FusedConv2D (conv + bias, what Forger's conv layers call) keeps
 *   that route on wasm and adds the bias after it.
 * - MaxPoolGrad: wasm's own returns wrong gradients (more than one window, channel or image); the
 *   composite follows the cpu backend exactly, ties included.
 * - ResizeNearestNeighborGrad (keras UpSampling2D), cpu only: tfjs-backend-cpu 4.22's own is wrong for
 *   more than one image or channel (wasm's and webgpu's are right); the composite is two one-hot matrix
 *   products checked against the adjoint of the forward resize.
 * - ForgerActivationGrad (a name of Forger's, every backend): tanh's, sigmoid's, relu's and leaky ReLU's
 *   gradient from the output in one kernel instead of tfjs-core's two or three; @forger/models' activations
 *   differentiate with it wherever it is registered (issue 7).
 * - ForgerMovingAverage, ForgerMoments, ForgerBatchNormGrad (every backend): batch norm's moving statistics
 *   (1 kernel instead of 6), its batch statistics (1 instead of 4) and its backward pass (webgpu: 2 instead of 13).
 * - ForgerSigmoidCrossEntropy, ForgerSigmoidCrossEntropyGrad (every backend): the vanilla and DCGAN losses,
 *   weighted and summed, in one kernel each way (tfjs-core's ops: 5 and 4).
 * - ForgerChannelSum (cpu, webgpu): a bias's gradient in one dispatch; tfjs's Sum over the leading axes transposes
 *   first (2 dispatches and a copy). wasm's own Sum is one native call: not registered there.
 * - ForgerSumOfSquares (cpu, webgpu): gradient clipping's global norm, one kernel per 7 gradients instead of a
 *   Square and a Sum per gradient (SSGAN-Tensorflow clips every update). Not on wasm: its clipping stays as it was.
 * - ForgerRandomNoise (every backend): dropout and Gaussian noise from a hash of (seed, element); on webgpu made
 *   and applied in one program instead of a mask filled on the CPU and uploaded each step (SSGAN's dropout layers).
 * - Conv2D, Conv2DBackpropInput, BatchMatMul and, by default, Conv2DBackpropFilter on webgpu: Forger's WGSL
 *   convolutions and products, one tiled matrix-product engine for all (convolution-gemm.ts, matrix-product-gemm.ts);
 *   FORGER_WEBGPU_CONV=tfjs (webgpu-conv-routes.ts) restores tfjs's own for all but the filter gradient.
 * - ForgerConv2D, ForgerMatMul (cpu, webgpu): convolution or matrix product + bias + activation, tanh and sigmoid
 *   included (tfjs's fused kernels have neither; keras-dcgan's layers end in tanh). On webgpu one WGSL program; on
 *   cpu tfjs's fused kernel and the activation's, the reference the WGSL is checked against. Not on wasm: @forger/models
 *   then runs FusedConv2D / _FusedMatMul and the activation, as before.
 * - ForgerFusedAdamUpdate, ForgerFusedAdamBetaPowers, ForgerFusedMomentumUpdate (every backend): an optimizer
 *   step in one kernel per variable instead of tfjs-core's 14 (Adam); new names, so they replace nothing of tfjs's.
 *   On cpu and wasm one loop in JS over the backend's memory, on webgpu one WGSL dispatch. Where they are not
 *   registered (tfjs-node, or after `unregisterForgerKernels`) the fused optimizers compose tf ops as tfjs-core does.
 */
const optimizerKernels = [fusedAdamUpdateConfig, fusedAdamBetaPowersConfig, fusedMomentumUpdateConfig];

const kernelFactories: Record<KernelBackendName, Array<(backend: KernelBackendName) => KernelConfig>> = {
  wasm: [conv2DBackpropFilterConfig, conv2DBackpropInputConfig, batchMatMulConfig, conv2DConfig, fusedConv2DConfig, maxPoolGradConfig, activationGradConfig, movingAverageConfig, batchNormMomentsConfig, batchNormGradConfig, sigmoidCrossEntropyConfig, sigmoidCrossEntropyGradConfig, randomNoiseConfig, ...optimizerKernels],
  webgpu: [conv2DBackpropFilterConfig, conv2DConfig, conv2DBackpropInputConfig, batchMatMulConfig, forgerConv2DConfig, forgerMatMulConfig, activationGradConfig, movingAverageConfig, batchNormMomentsConfig, batchNormGradConfig, sigmoidCrossEntropyConfig, sigmoidCrossEntropyGradConfig, channelSumConfig, sumOfSquaresConfig, randomNoiseConfig, ...optimizerKernels],
  cpu: [resizeNearestNeighborGradConfig, forgerConv2DConfig, forgerMatMulConfig, activationGradConfig, movingAverageConfig, batchNormMomentsConfig, batchNormGradConfig, sigmoidCrossEntropyConfig, sigmoidCrossEntropyGradConfig, channelSumConfig, sumOfSquaresConfig, randomNoiseConfig, ...optimizerKernels],
};

const lists = new Map<KernelBackendName, KernelConfig[]>();

/** Forger's kernels for `backendName`, its row of the table (the same objects on every call). */
export function forgerKernels(backendName: KernelBackendName): KernelConfig[] {
  let list = lists.get(backendName);
  if (list === undefined) {
    list = kernelFactories[backendName].map((make) => make(backendName));
    lists.set(backendName, list);
  }
  return list;
}

/**
 * Registers Forger's kernels for `backendName`, replacing the backend's own where it has one
 * (kept, so a composite can call it and `unregisterForgerKernels` can restore it). Idempotent.
 * Returns the names of Forger's kernels now active on that backend.
 */
export function registerForgerKernels(backendName: KernelBackendName): string[] {
  for (const config of forgerKernels(backendName)) {
    const current = getKernel(config.kernelName, backendName);
    if (current === config) continue;
    if (current !== undefined) {
      rememberOwnKernel(current);
      // registerKernel refuses a duplicate; replacing the backend's own is the point.
      unregisterKernel(config.kernelName, backendName);
    }
    registerKernel(config);
  }
  return forgerKernels(backendName).map((k) => k.kernelName);
}

/** Undoes `registerForgerKernels`: the backend's own kernels come back, the ones it lacked go away. */
export function unregisterForgerKernels(backendName: KernelBackendName): void {
  for (const config of forgerKernels(backendName)) {
    if (getKernel(config.kernelName, backendName) !== config) continue;
    unregisterKernel(config.kernelName, backendName);
    const own = backendsOwnKernel(config.kernelName, backendName);
    if (own !== undefined) registerKernel(own);
  }
}
