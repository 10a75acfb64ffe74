import * as tf from '@tensorflow/tfjs-core';

/**
 * Elementwise sigmoid cross-entropy from logits, in the overflow-free form of
 * TensorFlow's sigmoid_cross_entropy_with_logits:
 *   max(x, 0) − x·t + log(1 + exp(−|x|))  =  −t·log σ(x) − (1 − t)·log(1 − σ(x)).
 * `log(D(x))` on a saturated sigmoid would give −∞; this never does.
 */
export function sigmoidCrossEntropyWithLogits(targets: tf.Tensor | number, logits: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
}

/**
 * Discriminator loss −mean(log D(x)) − mean(log(1 − D(G(z)))), from logits.
 * `realTarget` below 1 is one-sided label smoothing (tricks/label-smoothing.ts).
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realTarget = 1): tf.Scalar {
  return tf.add(tf.mean(sigmoidCrossEntropyWithLogits(realTarget, realLogits)), tf.mean(sigmoidCrossEntropyWithLogits(0, fakeLogits)));
}

/**
 * The non-saturating generator loss −mean(log D(G(z))) (Goodfellow et al. 2014,
 * §3): strong gradients early, when D rejects every sample with confidence.
 */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.mean(sigmoidCrossEntropyWithLogits(1, fakeLogits));
}
