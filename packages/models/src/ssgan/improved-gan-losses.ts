import * as tf from '@tensorflow/tfjs-core';

/**
 * The semi-supervised losses of Salimans et al. 2016, §5, for a K-output
 * discriminator whose "real" score is D(x) = Z(x)/(Z(x)+1), Z = Σ exp(logits)
 * (openai/improved-gan, train_mnist_feature_matching.py).
 */

/** Supervised: softmax cross-entropy of labeled images, logsumexp(l) − l_y. */
export function labeledLoss(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, oneHot), 1)));
}

/**
 * Unsupervised: −log D(x) − log(1 − D(G(z))), in the softplus form of the
 * paper's code: −½·mean(lse(l_u)) + ½·mean(softplus(lse(l_u))) + ½·mean(softplus(lse(l_f))).
 * With label smoothing (Salimans et al. 2016 §3.4) real images are real with probability `realTarget` and
 * generated ones with `fakeTarget`: −[t·log D + (1 − t)·log(1 − D)] = softplus(lse) − t·lse, halved as the code's.
 */
export function unlabeledLoss(unlabeledLogits: tf.Tensor2D, fakeLogits: tf.Tensor2D, realTarget = 1, fakeTarget = 0): tf.Scalar {
  const lseU = tf.logSumExp(unlabeledLogits, 1);
  const lseF = tf.logSumExp(fakeLogits, 1);
  if (realTarget !== 1 || fakeTarget !== 0) {
    const smoothed = (lse: tf.Tensor, t: number): tf.Tensor => tf.sub(tf.mean(tf.softplus(lse)), tf.mul(t, tf.mean(lse)));
    return tf.mul(0.5, tf.add(smoothed(lseU, realTarget), smoothed(lseF, fakeTarget))) as tf.Scalar;
  }
  return tf.addN([tf.mul(-0.5, tf.mean(lseU)), tf.mul(0.5, tf.mean(tf.softplus(lseU))), tf.mul(0.5, tf.mean(tf.softplus(lseF)))]) as tf.Scalar;
}

/** D(x) = σ(logsumexp(logits)), per image. */
export function realScore(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.sigmoid(tf.logSumExp(logits, 1)) as tf.Tensor1D;
}
