import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';

/**
 * Additive Gaussian noise of standard deviation `rate`, training only (Keras
 * GaussianNoise; improved-GAN's MNIST discriminator). Noise is drawn on the CPU
 * from the Rng passed to `apply`, so a run is reproducible and resumable.
 */
export const gaussianNoise: LayerKernel = {
  kind: 'gaussian-noise',
  parameters: () => [],
  outputShape: (_spec, inputShape) => inputShape,
  apply(x, spec, _params, ctx) {
    const std = spec.rate ?? 0;
    if (!ctx.training || std <= 0) return x;
    if (!ctx.rng) throw new ModelError('missing-rng', `layer "${spec.name}" (gaussian-noise) needs an rng in training mode: pass apply(x, { training: true, rng })`, spec.name);
    const noise = ctx.rng.fillNormal(new Float32Array(x.size), 0, std);
    return tf.add(x, tf.tensor(noise, x.shape, 'float32'));
  },
};
