import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';
import { applyRandomNoise, drawNoiseSeed } from '../random-noise.js';

/**
 * Additive Gaussian noise of standard deviation `rate`, training only (Keras
 * GaussianNoise; improved-GAN's MNIST discriminator). The noise comes from a hash of (one seed drawn from
 * the Rng passed to `apply`, element index), on the device where the backend has RANDOM_NOISE_KERNEL
 * (random-noise.ts), so a run is reproducible and resumable.
 */
export const gaussianNoise: LayerKernel = {
  kind: 'gaussian-noise',
  parameters: () => [],
  outputShape: (_spec, inputShape) => inputShape,
  apply(x, spec, _params, ctx) {
    const std = spec.rate ?? 0;
    if (!ctx.training || std <= 0) return x;
    if (!ctx.rng) throw new ModelError('missing-rng', `layer "${spec.name}" (gaussian-noise) needs an rng in training mode: pass apply(x, { training: true, rng })`, { where: spec.name });
    return applyRandomNoise(x, { kind: 'gaussian', rate: std, seed: drawNoiseSeed(ctx.rng) });
  },
};
