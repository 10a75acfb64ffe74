import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';
import { applyRandomNoise, drawNoiseSeed } from '../random-noise.js';

/**
 * Dropout that stays on at inference: the generator's noise in pix2pix (Isola et al. 2017, §3.1: "we provide
 * noise only in the form of dropout, applied on several layers of our generator at both training and test
 * time"), the chapter's "dropout in G". The same inverted dropout as `dropout` (mask from random-noise.ts), in
 * training and in inference alike, so sampling needs an rng as training does.
 */
export const persistentDropout: LayerKernel = {
  kind: 'persistent-dropout',
  parameters: () => [],
  outputShape: (_spec, inputShape) => inputShape,
  apply(x, spec, _params, ctx) {
    const rate = spec.rate ?? 0;
    if (rate <= 0) return x;
    if (rate >= 1) throw new ModelError('bad-spec', `layer "${spec.name}" (persistent-dropout) needs a rate in [0, 1), got ${rate}`, { where: spec.name });
    if (!ctx.rng) {
      throw new ModelError('missing-rng', `layer "${spec.name}" (persistent-dropout) drops units at sampling time too and needs an rng: pass apply(x, { training, rng })`, { where: spec.name });
    }
    return applyRandomNoise(x, { kind: 'dropout', rate, seed: drawNoiseSeed(ctx.rng) });
  },
};
