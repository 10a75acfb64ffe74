import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels a backend may register under these names to do in one dispatch what tfjs-core's ops do in several
 * (on a GPU each kernel is a dispatch, issue 7). @forger/models runs them only where the active backend has
 * them and otherwise composes tfjs-core's ops to the same values; @forger/trainer-node registers them for
 * cpu, wasm and webgpu (src/kernels/).
 */

/**
 * An activation's gradient from its output: inputs `dy`, `y` (same shape), attributes `activation` ('tanh',
 * 'sigmoid', 'relu', 'leakyrelu') and `alpha` (leaky ReLU's slope, > 0); output (1 − y²)·dy, dy·y·(1 − y),
 * y > 0 ? dy : 0, y > 0 ? dy : α·dy. tfjs-core: 2–3 kernels each.
 */
export const ACTIVATION_GRAD_KERNEL = 'ForgerActivationGrad';

/**
 * Batch norm's moving statistics, both in one kernel: inputs `movingMean`, `movingVariance`, `mean`,
 * `variance` (same shape), attribute `momentum`; outputs [moving·m + mean·(1 − m), movingVar·m + var·(1 − m)].
 * tfjs-core: 6 kernels.
 */
export const MOVING_AVERAGE_KERNEL = 'ForgerMovingAverage';

/**
 * Batch norm's statistics over every axis but the last, in one kernel: input `x`; outputs [mean, variance]
 * (biased, two-pass), each of shape [channels]. tfjs-core's tf.moments: 4 kernels.
 */
export const MOMENTS_KERNEL = 'ForgerMoments';

/**
 * Training-mode batch norm's backward pass in closed form: inputs `dy`, `x`, `mean`, `variance`, `gamma`,
 * attribute `epsilon`; outputs [dx (x's shape), dGamma, dBeta ([channels])], with x̂ = (x − μ)·r,
 * r = 1/√(σ² + ε), n rows per channel: ∂β = Σ dy, ∂γ = Σ dy·x̂, ∂x = γ·r/n·(n·dy − ∂β − x̂·∂γ).
 * tfjs-core's ops: 13 kernels.
 */
export const BATCH_NORM_GRAD_KERNEL = 'ForgerBatchNormGrad';

/**
 * Σᵢ wᵢ·CE(tᵢ, xᵢ), sigmoid cross-entropy from logits summed with weights, as one scalar: input `logits`,
 * optional `targets` and `weights` (the logits' shape); attributes `target` and `weight` stand in for the
 * tensors when those are absent. tfjs-core's ops: 5 kernels.
 */
export const SIGMOID_CROSS_ENTROPY_KERNEL = 'ForgerSigmoidCrossEntropy';

/**
 * Its gradient (σ(x) − t)·w·dy: inputs `logits`, `dy` (a scalar), optional `targets`, `weights`; the same
 * attributes. tfjs-core's ops: 4 kernels.
 */
export const SIGMOID_CROSS_ENTROPY_GRAD_KERNEL = 'ForgerSigmoidCrossEntropyGrad';

/**
 * Σ over every axis but the last, output [channels]: a bias's gradient. Input `x` of rank ≥ 2. tfjs-core's
 * tf.sum over the leading axes: on webgpu a transpose (a copy of x) and a reduction, 2 dispatches.
 */
export const CHANNEL_SUM_KERNEL = 'ForgerChannelSum';

/**
 * Σ x² over every element of 1 to SUM_OF_SQUARES_MOST_INPUTS float32 tensors of any shapes (inputs `x0`, `x1`, …),
 * as a [SUM_OF_SQUARES_PARTS] vector of partial sums whose total is the result (a GPU writes one per workgroup): the
 * global gradient norm of clipping in one kernel per group of gradients. tfjs-core: Square and Sum per tensor.
 */
export const SUM_OF_SQUARES_KERNEL = 'ForgerSumOfSquares';
/** WebGPU binds 8 storage buffers per stage: 7 inputs and the output. */
export const SUM_OF_SQUARES_MOST_INPUTS = 7;
export const SUM_OF_SQUARES_PARTS = 64;

/**
 * Convolution + bias + activation in one kernel, with the activations tfjs's FusedConv2D lacks: inputs `x`,
 * `filter`, optional `bias`; FusedConv2D's attributes (NHWC), `activation` one of 'linear', 'relu',
 * 'leakyrelu' (slope `leakyreluAlpha` > 0), 'tanh', 'sigmoid'. keras-dcgan's every convolution ends in tanh:
 * with FusedConv2D that is a second kernel per layer and pass.
 */
export const CONV_KERNEL = 'ForgerConv2D';

/**
 * x·w + bias, then the activation, in one kernel: inputs `a` [M, K], `b` [K, N], optional `bias` [N];
 * attributes `activation` and `leakyreluAlpha` as CONV_KERNEL's. tfjs's _FusedMatMul has no tanh or sigmoid.
 */
export const MATMUL_KERNEL = 'ForgerMatMul';

/**
 * Dropout or additive Gaussian noise drawn on the device: input `x`; attributes `kind` ('dropout' | 'gaussian'),
 * `rate` (the drop probability or the noise's standard deviation) and `seed` (an integer in [0, 2³²)); output y of
 * x's shape, from the counter-based hash of (seed, element) that random-noise.ts defines (`noiseValues` is the
 * reference). Replaces a mask filled on the CPU and uploaded at every step.
 */
export const RANDOM_NOISE_KERNEL = 'ForgerRandomNoise';

/** Whether the active backend runs one of these kernels. */
export function hasForgerKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
