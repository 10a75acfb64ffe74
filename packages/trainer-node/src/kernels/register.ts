import { registerKernel, unregisterKernel, getKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { backendsOwnKernel, rememberOwnKernel, type TrainingBackendName } from './backend-kernels.js';
import { activationGradConfig } from './ActivationGrad.js';
import { randomNoiseConfig } from './RandomNoise.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { batchNormGradConfig } from './BatchNormGrad.js';
import { batchNormMomentsConfig } from './BatchNormMoments.js';
import { channelSumConfig } from './ChannelSum.js';
import { conv2DConfig } from './Conv2D.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { forgerConv2DConfig } from './ForgerConv2D.js';
import { forgerMatMulConfig } from './ForgerMatMul.js';
import { fusedConv2DConfig } from './FusedConv2D.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { movingAverageConfig } from './MovingAverage.js';
import { resizeNearestNeighborGradConfig } from './ResizeNearestNeighborGrad.js';
import { sigmoidCrossEntropyConfig } from './SigmoidCrossEntropy.js';
import { sigmoidCrossEntropyGradConfig } from './SigmoidCrossEntropyGrad.js';
import { sumOfSquaresConfig } from './SumOfSquares.js';

/**
 * The one list of Forger's training kernels. A composite is written once and listed for every backend
 * that lacks a fast one of its own (measured with `node dist/bench/kernels.js`, see backends/README.md):
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
 */
const kernelFactories: Record<TrainingBackendName, Array<(backend: TrainingBackendName) => KernelConfig>> = {
  wasm: [conv2DBackpropFilterConfig, conv2DBackpropInputConfig, batchMatMulConfig, conv2DConfig, fusedConv2DConfig, maxPoolGradConfig, activationGradConfig, movingAverageConfig, batchNormMomentsConfig, batchNormGradConfig, sigmoidCrossEntropyConfig, sigmoidCrossEntropyGradConfig, randomNoiseConfig],
  webgpu: [conv2DBackpropFilterConfig, conv2DConfig, conv2DBackpropInputConfig, batchMatMulConfig, forgerConv2DConfig, forgerMatMulConfig, activationGradConfig, movingAverageConfig, batchNormMomentsConfig, batchNormGradConfig, sigmoidCrossEntropyConfig, sigmoidCrossEntropyGradConfig, channelSumConfig, sumOfSquaresConfig, randomNoiseConfig],
  cpu: [resizeNearestNeighborGradConfig, forgerConv2DConfig, forgerMatMulConfig, activationGradConfig, movingAverageConfig, batchNormMomentsConfig, batchNormGradConfig, sigmoidCrossEntropyConfig, sigmoidCrossEntropyGradConfig, channelSumConfig, sumOfSquaresConfig, randomNoiseConfig],
};

const lists = new Map<TrainingBackendName, KernelConfig[]>();

/** Forger's training kernels for `backendName` (the same objects on every call). */
export function trainingKernels(backendName: TrainingBackendName): KernelConfig[] {
  let list = lists.get(backendName);
  if (list === undefined) {
    list = kernelFactories[backendName].map((make) => make(backendName));
    lists.set(backendName, list);
  }
  return list;
}

/**
 * Registers Forger's training kernels for `backendName`, replacing the backend's own where it has one
 * (kept, so a composite can call it and `unregisterTrainingKernels` can restore it). Idempotent.
 * Returns the names of Forger's kernels now active on that backend.
 */
export function registerTrainingKernels(backendName: TrainingBackendName): string[] {
  for (const config of trainingKernels(backendName)) {
    const current = getKernel(config.kernelName, backendName);
    if (current === config) continue;
    if (current !== undefined) {
      rememberOwnKernel(current);
      // registerKernel refuses a duplicate; replacing the backend's own is the point.
      unregisterKernel(config.kernelName, backendName);
    }
    registerKernel(config);
  }
  return trainingKernels(backendName).map((k) => k.kernelName);
}

/** Undoes `registerTrainingKernels`: the backend's own kernels come back, the ones it lacked go away. */
export function unregisterTrainingKernels(backendName: TrainingBackendName): void {
  for (const config of trainingKernels(backendName)) {
    if (getKernel(config.kernelName, backendName) !== config) continue;
    unregisterKernel(config.kernelName, backendName);
    const own = backendsOwnKernel(config.kernelName, backendName);
    if (own !== undefined) registerKernel(own);
  }
}
