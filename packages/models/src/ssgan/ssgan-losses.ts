import * as tf from '@tensorflow/tfjs-core';

/**
 * Huber loss, elementwise (δ = 1 by default): ½r² for |r| < δ, δ|r| − ½δ²
 * beyond, as SSGAN-Tensorflow's ops.huber_loss.
 */
export function huberLoss(labels: tf.Tensor, predictions: tf.Tensor, delta = 1): tf.Tensor {
  // ½·min(r, δ)² + δ·(r − min(r, δ)) is the same piecewise function without a
  // comparison op, which has no gradient in tfjs-core.
  const r = tf.abs(tf.sub(predictions, labels));
  const inner = tf.minimum(r, delta);
  return tf.add(tf.mul(0.5, tf.square(inner)), tf.mul(delta, tf.sub(r, inner)));
}

/** SSGAN-Tensorflow's target for generated images: 0.9 on "generated", 0.1 spread over the n classes. */
export const SSGAN_FAKE_TARGET = 0.9;

/**
 * SSGAN-Tensorflow's reconstruction weight: min(max(0, (1500 − step)/1500), 1)·10,
 * from 10 at step 0 down to 0 at step 1500 (model.py get_feed_dict).
 */
export function reconstructionWeight(step: number, start = 10, annealSteps = 1500): number {
  if (annealSteps <= 0) return 0;
  return Math.min(Math.max(0, (annealSteps - step) / annealSteps), 1) * start;
}

/** Softmax cross-entropy with soft targets, per row: −Σ t·log softmax(logits). */
export function softmaxCrossEntropy(targets: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** log p("generated" | x), the last of the n+1 outputs, computed stably. */
export function logProbabilityGenerated(logits: tf.Tensor2D): tf.Tensor1D {
  const n = logits.shape[1] - 1;
  return tf.reshape(tf.slice(tf.logSoftmax(logits), [0, n], [-1, 1]), [-1]) as tf.Tensor1D;
}

/** log(1 − p("generated" | x)) = logsumexp(class logits) − logsumexp(all logits). */
export function logProbabilityReal(logits: tf.Tensor2D): tf.Tensor1D {
  const n = logits.shape[1] - 1;
  return tf.sub(tf.logSumExp(tf.slice(logits, [0, 0], [-1, n]), 1), tf.logSumExp(logits, 1)) as tf.Tensor1D;
}

export interface SsganDiscriminatorTerms {
  /** Huber between one-hot labels and the class softmax outputs (SSGAN-Tensorflow's S_loss). */
  supervised: tf.Scalar;
  /** Softmax CE of labeled images against [one-hot, 0]. */
  labeled: tf.Scalar;
  /** −log(1 − p(generated)) of unlabeled images: real, class unknown. */
  unlabeled: tf.Scalar;
  /** Softmax CE of generated images against [0.1/n …, 0.9]. */
  fake: tf.Scalar;
}

/**
 * The discriminator's terms (SSGAN-Tensorflow model.py build_loss, extended to
 * unlabeled images for `--labeled-count`): D's loss is their sum.
 * `labeledLogits`/`oneHot` may be absent for a batch without labels.
 * `targets` smooths the real/fake part (Salimans et al. 2016 §3.4): unlabeled images are "real" with probability
 * `real` (default 1) instead of 1, generated ones with probability `fake` instead of SSGAN-Tensorflow's 0.1
 * (spread over the classes, the rest on "generated").
 */
export function ssganDiscriminatorTerms(
  unlabeledLogits: tf.Tensor2D,
  fakeLogits: tf.Tensor2D,
  labeled?: { logits: tf.Tensor2D; oneHot: tf.Tensor2D },
  targets: { real?: number; fake?: number } = {},
): SsganDiscriminatorTerms {
  const n = fakeLogits.shape[1] - 1;
  const count = fakeLogits.shape[0];
  const onGenerated = targets.fake === undefined ? SSGAN_FAKE_TARGET : 1 - targets.fake;
  const onClasses = targets.fake === undefined ? 1 - SSGAN_FAKE_TARGET : targets.fake;
  const fakeTarget = tf.concat([tf.fill([count, n], onClasses / n), tf.fill([count, 1], onGenerated)], 1);
  const zero = tf.scalar(0);
  const real = targets.real ?? 1;
  const unlabeled =
    real === 1
      ? (tf.neg(tf.mean(logProbabilityReal(unlabeledLogits))) as tf.Scalar)
      : (tf.neg(tf.mean(tf.add(tf.mul(real, logProbabilityReal(unlabeledLogits)), tf.mul(1 - real, logProbabilityGenerated(unlabeledLogits))))) as tf.Scalar);
  return {
    supervised: labeled ? tf.mean(huberLoss(labeled.oneHot, tf.slice(tf.softmax(labeled.logits), [0, 0], [-1, n]))) : zero,
    labeled: labeled ? tf.mean(softmaxCrossEntropy(tf.concat([labeled.oneHot, tf.zeros([labeled.oneHot.shape[0], 1])], 1), labeled.logits)) : zero,
    unlabeled,
    fake: tf.mean(softmaxCrossEntropy(fakeTarget, fakeLogits)),
  };
}

/**
 * SSGAN-Tensorflow's generator loss: mean log p(generated | G(z)) (lower is
 * better for G), plus the annealed Huber reconstruction term between the real
 * batch and the generated one.
 */
export function ssganGeneratorLoss(fakeLogits: tf.Tensor2D, real: tf.Tensor, fake: tf.Tensor, reconWeight: number): tf.Scalar {
  return withReconstruction(tf.mean(logProbabilityGenerated(fakeLogits)) as tf.Scalar, real, fake, reconWeight);
}

/** A generator loss plus SSGAN-Tensorflow's annealed Huber reconstruction term (none at weight 0). */
export function withReconstruction(adversarial: tf.Scalar, real: tf.Tensor, fake: tf.Tensor, reconWeight: number): tf.Scalar {
  if (reconWeight === 0) return adversarial;
  return tf.add(adversarial, tf.mul(tf.mean(huberLoss(real, fake)), reconWeight)) as tf.Scalar;
}
