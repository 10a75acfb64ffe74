import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';

/**
 * Throws ModelError('not-finite') when a generated batch holds NaN or ±Inf: finite weights can still overflow in an
 * activation, and a NaN pixel draws black. Images are never returned silently broken (issue 18).
 */
export function checkFinitePixels(values: ArrayLike<number>, what: string): void {
  let bad = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) bad++;
  if (bad > 0) {
    throw new ModelError('not-finite', `${what}: the generator produced ${bad} non-finite value${bad === 1 ? '' : 's'} (NaN or Inf) of ${values.length}; its weights overflow, so the images would be black`, { where: what });
  }
}

/**
 * G(z) in inference mode (moving batch-norm statistics): images in the spec's pixel range. `rng` feeds a generator
 * that samples with noise (persistent dropout, Network.samplesWithNoise); it is required for one and unused otherwise.
 */
export function generate(generator: Network, z: tf.Tensor, rng?: Rng): tf.Tensor {
  return tf.tidy(() => generator.apply(z, rng ? { training: false, rng } : { training: false }));
}

/**
 * How real the discriminator (inference mode) finds each image, in [0, 1]:
 * σ(logit) for one-output discriminators (vanilla, DCGAN; keras-dcgan's
 * `--nice` ranks by it), 1 − p(generated) for SSGAN's n+1 outputs, and
 * Z/(Z+1) with Z = Σ exp(logits) for improved-GAN's K outputs, σ(last logit) for ACGAN's K + 1.
 */
export function discriminatorScores(discriminator: Network, images: tf.Tensor, spec?: ModelSpec): tf.Tensor1D {
  const outputs = discriminator.outputShape[0];
  if (discriminator.outputShape.length !== 1) throw new ModelError('bad-input', `a discriminator outputs [batch, k] logits, this one [batch, ${discriminator.outputShape.join(', ')}]`);
  if (outputs !== 1 && !spec) throw new ModelError('bad-input', `discriminatorScores needs the spec to read a ${outputs}-output discriminator`);
  return tf.tidy(() => {
    const logits = discriminator.apply(images, { training: false }) as tf.Tensor2D;
    if (outputs === 1 || !spec) return tf.reshape(tf.sigmoid(logits), [-1]) as tf.Tensor1D;
    // ACGAN (Odena et al. 2017): K class logits, then the real/fake logit
    if (spec.family === 'acgan') return tf.reshape(tf.sigmoid(tf.slice(logits, [0, outputs! - 1], [-1, 1])), [-1]) as tf.Tensor1D;
    if (spec.numClasses > 0 && outputs === spec.numClasses + 1) {
      return tf.sub(1, tf.reshape(tf.slice(tf.softmax(logits), [0, spec.numClasses], [-1, 1]), [-1])) as tf.Tensor1D;
    }
    // D(x) = Z/(Z+1) = σ(logsumexp(logits)) (Salimans et al. 2016, §5).
    return tf.sigmoid(tf.logSumExp(logits, 1)) as tf.Tensor1D;
  });
}

/**
 * Class probabilities over the spec's `numClasses` real classes (the
 * "generated" output of an n+1 discriminator is dropped and the rest
 * renormalised), and the predicted labels.
 */
export function classify(discriminator: Network, images: tf.Tensor, spec: ModelSpec): { probabilities: tf.Tensor2D; labels: tf.Tensor1D } {
  if (spec.numClasses <= 0) throw new ModelError('bad-input', `classify needs a spec with classes; family "${spec.family}" has numClasses ${spec.numClasses}`);
  return tf.tidy(() => {
    const logits = discriminator.apply(images, { training: false }) as tf.Tensor2D;
    const classLogits = tf.slice(logits, [0, 0], [-1, spec.numClasses]);
    const probabilities = tf.softmax(classLogits) as tf.Tensor2D;
    return { probabilities, labels: tf.argMax(classLogits, 1) as tf.Tensor1D };
  });
}
