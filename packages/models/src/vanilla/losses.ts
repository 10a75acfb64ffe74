import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';
import { withGradient } from '../network/custom-gradient.js';
import { hasForgerKernel, SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, SIGMOID_CROSS_ENTROPY_KERNEL } from '../network/forger-kernels.js';

/**
 * Sigmoid cross-entropy from logits x with targets t,
 *   −t·log σ(x) − (1 − t)·log(1 − σ(x))  =  softplus(x) − x·t,
 * with softplus in the backends' overflow-free form (the values of TensorFlow's
 * sigmoid_cross_entropy_with_logits): `log(D(x))` on a saturated sigmoid would
 * give −∞; this never does. For t = 1 it is softplus(−x), which keeps the
 * small losses of confident logits instead of cancelling them to 0.
 *
 * The gradient is written by hand, (σ(x) − t)·dy: tfjs would differentiate
 * the forward pass kernel by kernel, and on the GPU every kernel is a
 * dispatch (issue 7). The targets are constants: no gradient flows to them.
 */
export function sigmoidCrossEntropyWithLogits(targets: tf.Tensor | number, logits: tf.Tensor): tf.Tensor {
  checkTargets(targets, logits);
  const crossEntropy = withGradient(([x], save) => {
    save([x!]);
    return {
      value: elementwiseCrossEntropy(x!, targets),
      gradFunc: (dy, [saved]) => tf.mul(dy, sigmoidMinusTarget(saved!, targets)),
    };
  });
  return crossEntropy(logits);
}

/**
 * Σᵢ wᵢ · CE(tᵢ, xᵢ) as one scalar: a mean when the weight is 1/n, or a stacked
 * batch whose rows carry their own target and weight (the discriminator's real
 * and generated images in one pass). Forward softplus, product, sum; backward
 * (σ(x) − t)·w·dy, with no broadcast of dy over the batch.
 */
export function weightedSigmoidCrossEntropy(logits: tf.Tensor, targets: tf.Tensor | number, weights: tf.Tensor | number): tf.Scalar {
  checkTargets(targets, logits);
  checkTargets(weights, logits, 'weights');
  if (hasForgerKernel(SIGMOID_CROSS_ENTROPY_KERNEL) && hasForgerKernel(SIGMOID_CROSS_ENTROPY_GRAD_KERNEL) && fullOrNumber(targets, logits) && fullOrNumber(weights, logits)) {
    return weightedSumInOneKernel(logits, targets, weights);
  }
  const weightedSum = withGradient(([x], save) => {
    save([x!]);
    return {
      value: tf.sum(tf.mul(elementwiseCrossEntropy(x!, targets), weights)),
      gradFunc: (dy, [saved]) => tf.mul(sigmoidMinusTarget(saved!, targets), tf.mul(weights, dy)),
    };
  });
  return weightedSum(logits) as tf.Scalar;
}

/** mean(CE(t, x)) over every element. */
export function meanSigmoidCrossEntropy(targets: tf.Tensor | number, logits: tf.Tensor): tf.Scalar {
  return weightedSigmoidCrossEntropy(logits, targets, 1 / logits.size);
}

/**
 * Discriminator loss −mean(log D(x)) − mean(log(1 − D(G(z)))), from logits.
 * `realTarget` below 1 is one-sided label smoothing, `fakeTarget` above 0 makes
 * it two-sided (tricks/label-smoothing.ts).
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realTarget = 1, fakeTarget = 0): tf.Scalar {
  return tf.add(meanSigmoidCrossEntropy(realTarget, realLogits), meanSigmoidCrossEntropy(fakeTarget, fakeLogits));
}

/**
 * The non-saturating generator loss −mean(log D(G(z))) (Goodfellow et al. 2014,
 * §3): strong gradients early, when D rejects every sample with confidence.
 */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return meanSigmoidCrossEntropy(1, fakeLogits);
}

function elementwiseCrossEntropy(x: tf.Tensor, t: tf.Tensor | number): tf.Tensor {
  if (t === 0) return tf.softplus(x);
  if (t === 1) return tf.softplus(tf.neg(x));
  return tf.sub(tf.softplus(x), tf.mul(x, t));
}

function sigmoidMinusTarget(x: tf.Tensor, t: tf.Tensor | number): tf.Tensor {
  return t === 0 ? tf.sigmoid(x) : tf.sub(tf.sigmoid(x), t);
}

/** Targets and weights broadcast to the logits, never beyond them (the gradient has the logits' shape). */
function checkTargets(t: tf.Tensor | number, logits: tf.Tensor, what = 'targets'): void {
  if (typeof t === 'number') return;
  const offset = logits.rank - t.rank;
  const fits = offset >= 0 && t.shape.every((d, i) => d === 1 || d === logits.shape[i + offset]);
  if (!fits) throw new ModelError('bad-input', `sigmoid cross-entropy: ${what} of shape [${t.shape.join(', ')}] do not broadcast to the logits' [${logits.shape.join(', ')}]`);
}

/** The one-kernel forms take targets and weights either as numbers or as tensors of the logits' own shape. */
function fullOrNumber(t: tf.Tensor | number, logits: tf.Tensor): boolean {
  return typeof t === 'number' || t.shape.join() === logits.shape.join();
}

/** weightedSigmoidCrossEntropy where the backend has SIGMOID_CROSS_ENTROPY_KERNEL and its gradient: one kernel each way. */
function weightedSumInOneKernel(logits: tf.Tensor, targets: tf.Tensor | number, weights: tf.Tensor | number): tf.Scalar {
  const tensors: Record<string, tf.Tensor> = {};
  if (typeof targets !== 'number') tensors['targets'] = targets;
  if (typeof weights !== 'number') tensors['weights'] = weights;
  const attrs = { target: typeof targets === 'number' ? targets : 0, weight: typeof weights === 'number' ? weights : 0 };
  return withGradient(([x], save) => {
    save([x!]);
    return {
      value: tf.engine().runKernel(SIGMOID_CROSS_ENTROPY_KERNEL, { logits: x!, ...tensors }, attrs) as tf.Tensor,
      gradFunc: (dy, [saved]) => tf.engine().runKernel(SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, { logits: saved!, dy, ...tensors }, attrs) as tf.Tensor,
    };
  })(logits) as tf.Scalar;
}
