import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { withGradient } from '../custom-gradient.js';
import { BATCH_NORM_GRAD_KERNEL, hasForgerKernel, MOMENTS_KERNEL, MOVING_AVERAGE_KERNEL } from '../forger-kernels.js';
import { epsilonOf, momentumOf } from '../spec-defaults.js';

/**
 * Batch normalisation over every axis but the last (Ioffe & Szegedy 2015), with
 * Keras semantics: training normalises by the batch's own (biased) mean and
 * variance and moves the moving statistics by
 * `moving = moving·momentum + batch·(1 − momentum)`; inference uses the moving
 * statistics.
 */
export const batchNorm: LayerKernel = {
  kind: 'batch-norm',
  parameters(_spec, inputShape) {
    const c = [inputShape[inputShape.length - 1]!];
    return [
      { param: 'gamma', shape: c, init: { kind: 'ones' }, trainable: true },
      { param: 'beta', shape: c, init: { kind: 'zeros' }, trainable: true },
      { param: 'moving_mean', shape: c, init: { kind: 'zeros' }, trainable: false },
      { param: 'moving_variance', shape: c, init: { kind: 'ones' }, trainable: false },
    ];
  },
  outputShape(_spec, inputShape) {
    return inputShape;
  },
  apply(x, spec, params, ctx) {
    const gamma = params['gamma']!;
    const beta = params['beta']!;
    const movingMean = params['moving_mean']!;
    const movingVariance = params['moving_variance']!;
    const epsilon = epsilonOf(spec);
    if (!ctx.training) {
      return tf.add(tf.mul(tf.div(tf.sub(x, movingMean), tf.sqrt(tf.add(movingVariance, epsilon))), gamma), beta);
    }
    const statistics = ctx.updateStatistics ? { momentum: ctx.statisticsMomentum ?? momentumOf(spec), movingMean, movingVariance } : undefined;
    return normaliseByBatch(x, gamma, beta, epsilon, statistics);
  },
};

/**
 * Training-mode batch norm γ·(x − μ)/√(σ² + ε) + β with μ, σ² the batch's own statistics over every axis but
 * the last. The forward pass is the moments plus the backends' one FusedBatchNorm kernel; the backward pass
 * is the closed form (x̂ the normalised input, r = 1/√(σ² + ε), n the count per channel, Σ over the batch axes)
 *   ∂β = Σ dy,   ∂γ = Σ dy·x̂,   ∂x = γ·r/n · (n·dy − ∂β − x̂·∂γ),
 * which already holds the paths through μ and σ². tfjs would differentiate the composite kernel by kernel (and
 * its FusedBatchNorm gradient cannot take a rank-2 input): about 26 kernels against 13, each a GPU dispatch.
 * Where the backend registers MOMENTS_KERNEL and BATCH_NORM_GRAD_KERNEL, the moments and the backward pass
 * are one kernel each.
 */
function normaliseByBatch(
  x: tf.Tensor, gamma: tf.Variable, beta: tf.Variable, epsilon: number,
  statistics: { momentum: number; movingMean: tf.Variable; movingVariance: tf.Variable } | undefined,
): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const perChannel = x.size / x.shape[x.rank - 1]!;
  const { mean, variance } = hasForgerKernel(MOMENTS_KERNEL) ? momentsInOneKernel(x) : tf.moments(x, axes);
  if (statistics) updateMovingStatistics(statistics, mean, variance);
  // μ and σ² enter by closure, not as inputs: the gradient below already holds their paths, so the tape must not
  // differentiate the moments a second time. `save` keeps them for the backward pass.
  const normalise = withGradient(([xIn, g, b], save) => {
    save([xIn!, mean, variance, g!]);
    return {
      value: tf.batchNorm(xIn!, mean, variance, b!, g!, epsilon),
      gradFunc: (dy, [xs, mu, sigma2, gs]) => {
        if (hasForgerKernel(BATCH_NORM_GRAD_KERNEL)) {
          return tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, { dy, x: xs!, mean: mu!, variance: sigma2!, gamma: gs! }, { epsilon }) as tf.Tensor[];
        }
        const r = tf.rsqrt(tf.add(sigma2!, epsilon));
        const normalised = tf.mul(tf.sub(xs!, mu!), r);
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, normalised), axes);
        const dx = tf.mul(tf.mul(gs!, tf.div(r, perChannel)), tf.sub(tf.sub(tf.mul(dy, perChannel), dBeta), tf.mul(normalised, dGamma)));
        return [dx, dGamma, dBeta];
      },
    };
  });
  return normalise(x, gamma, beta);
}

/**
 * moving ← moving·momentum + batch·(1 − momentum) for the mean and the variance. The moving statistics are
 * state, not part of the loss: `assign` is not recorded on the gradient tape. One kernel for both where the
 * backend registers MOVING_AVERAGE_KERNEL (@forger/trainer-node does), else six of tfjs-core's.
 */
function updateMovingStatistics(
  { momentum, movingMean, movingVariance }: { momentum: number; movingMean: tf.Variable; movingVariance: tf.Variable },
  mean: tf.Tensor, variance: tf.Tensor,
): void {
  if (hasForgerKernel(MOVING_AVERAGE_KERNEL)) {
    const [newMean, newVariance] = tf.engine().runKernel(MOVING_AVERAGE_KERNEL, { movingMean, movingVariance, mean, variance }, { momentum }) as tf.Tensor[];
    movingMean.assign(newMean!);
    movingVariance.assign(newVariance!);
    tf.dispose([newMean!, newVariance!]);
    return;
  }
  movingMean.assign(tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)));
  movingVariance.assign(tf.add(tf.mul(movingVariance, momentum), tf.mul(variance, 1 - momentum)));
}

function momentsInOneKernel(x: tf.Tensor): { mean: tf.Tensor; variance: tf.Tensor } {
  const [mean, variance] = tf.engine().runKernel(MOMENTS_KERNEL, { x }, {}) as tf.Tensor[];
  return { mean: mean!, variance: variance! };
}
