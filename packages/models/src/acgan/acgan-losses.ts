import * as tf from '@tensorflow/tfjs-core';
import { weightedSigmoidCrossEntropy } from '../vanilla/losses.js';
import { softmaxCrossEntropy } from '../ssgan/ssgan-losses.js';

/** An ACGAN discriminator's [batch, K + 1] output split into the K class logits and the real/fake logit. */
export function splitAcganLogits(logits: tf.Tensor2D): { classLogits: tf.Tensor2D; sourceLogits: tf.Tensor2D } {
  const k = logits.shape[1] - 1;
  return { classLogits: tf.slice(logits, [0, 0], [-1, k]), sourceLogits: tf.slice(logits, [0, k], [-1, 1]) };
}

/** mean −log p(label | x) over the batch: the class log-likelihood L_C of Odena et al. 2017, eq. 3, negated. */
export function classCrossEntropy(classLogits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  const oneHot = tf.cast(tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, classLogits.shape[1]), 'float32');
  return tf.mean(softmaxCrossEntropy(oneHot, classLogits));
}

/**
 * D's loss (Odena et al. 2017 §3: D maximises L_S + L_C): the source cross-entropy of real (target `realTarget`) and
 * generated (target 0) images, plus the class cross-entropy of both — the real images' true classes and the
 * generated images' requested ones, as tfjs-examples' mnist-acgan trains its auxiliary output on both.
 */
export function acganDiscriminatorLoss(
  real: { logits: tf.Tensor2D; labels: tf.Tensor },
  fake: { logits: tf.Tensor2D; labels: tf.Tensor },
  realTarget = 1,
): { loss: tf.Scalar; source: tf.Scalar; classes: tf.Scalar } {
  const r = splitAcganLogits(real.logits);
  const f = splitAcganLogits(fake.logits);
  const source = tf.add(weightedSigmoidCrossEntropy(r.sourceLogits, realTarget, 1 / real.logits.shape[0]), weightedSigmoidCrossEntropy(f.sourceLogits, 0, 1 / fake.logits.shape[0])) as tf.Scalar;
  const classes = tf.add(classCrossEntropy(r.classLogits, real.labels), classCrossEntropy(f.classLogits, fake.labels)) as tf.Scalar;
  return { loss: tf.add(source, classes) as tf.Scalar, source, classes };
}

/**
 * G's loss (Odena et al. 2017 §3: G maximises L_C − L_S), with the non-saturating source term −log D(G(z)) of
 * Goodfellow et al. 2014 §3 in place of log(1 − D(G(z))): G wants its images taken for real and for the class it
 * was asked for.
 */
export function acganGeneratorLoss(fakeLogits: tf.Tensor2D, labels: tf.Tensor): { loss: tf.Scalar; classes: tf.Scalar } {
  const f = splitAcganLogits(fakeLogits);
  const classes = classCrossEntropy(f.classLogits, labels);
  return { loss: tf.add(weightedSigmoidCrossEntropy(f.sourceLogits, 1, 1 / fakeLogits.shape[0]), classes) as tf.Scalar, classes };
}
