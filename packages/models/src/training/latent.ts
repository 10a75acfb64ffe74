import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, Rng } from '@forger/core';

/**
 * The size of z when a spec or a flag does not say: 100 in all four recipes Forger reproduces (the classic
 * TensorFlow GAN, keras-dcgan, SSGAN-Tensorflow, improved-GAN). The one place this default is written.
 */
export const DEFAULT_LATENT_DIM = 100;

/** `count` latent vectors from the spec's prior (U(−1, 1) or N(0, 1)), row-major [count, latentDim]. */
export function sampleLatent(spec: ModelSpec, count: number, rng: Rng): Float32Array {
  const out = new Float32Array(count * spec.latentDim);
  return spec.latentPrior === 'normal' ? rng.fillNormal(out) : rng.fillUniform(out, -1, 1);
}

/** The same draw as a [count, latentDim] tensor: what a trainer step or a generator call takes. */
export function latentBatch(spec: ModelSpec, count: number, rng: Rng): tf.Tensor2D {
  return latentTensor(spec, sampleLatent(spec, count, rng), count);
}

/** `count` latent vectors already drawn (row-major) as a [count, latentDim] tensor (latentDim may be 0: a classifier's). */
export function latentTensor(spec: ModelSpec, z: Float32Array, count: number): tf.Tensor2D {
  return tf.tensor2d(z, [count, spec.latentDim]);
}
