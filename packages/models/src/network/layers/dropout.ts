import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';
import { applyRandomNoise, drawNoiseSeed } from '../random-noise.js';

/**
 * Inverted dropout (Srivastava et al. 2014; Keras semantics): in training,
 * zero each value with probability `rate` and scale the rest by 1/(1 − rate);
 * identity at inference. The mask comes from a hash of (one seed drawn from the Rng passed to `apply`,
 * element index), on the device where the backend has RANDOM_NOISE_KERNEL (random-noise.ts): a run is
 * reproducible and resumes exactly on any backend, with the same mask on every backend.
 */
export const dropout: LayerKernel = {
  kind: 'dropout',
  parameters: () => [],
  outputShape: (_spec, inputShape) => inputShape,
  apply(x, spec, _params, ctx) {
    const rate = spec.rate ?? 0;
    if (!ctx.training || rate <= 0) return x;
    if (rate >= 1) throw new ModelError('bad-spec', `layer "${spec.name}" (dropout) needs a rate in [0, 1), got ${rate}`, { where: spec.name });
    if (!ctx.rng) throw new ModelError('missing-rng', `layer "${spec.name}" (dropout) needs an rng in training mode: pass apply(x, { training: true, rng })`, { where: spec.name });
    return applyRandomNoise(x, { kind: 'dropout', rate, seed: drawNoiseSeed(ctx.rng) });
  },
};
