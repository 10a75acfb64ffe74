import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';

/**
 * Inverted dropout (Srivastava et al. 2014; Keras semantics): in training,
 * zero each value with probability `rate` and scale the rest by 1/(1 − rate);
 * identity at inference. The mask is drawn on the CPU from the Rng passed to
 * `apply`, so a run is reproducible and resumes exactly on any backend.
 */
export const dropout: LayerKernel = {
  kind: 'dropout',
  parameters: () => [],
  outputShape: (_spec, inputShape) => inputShape,
  apply(x, spec, _params, ctx) {
    const rate = spec.rate ?? 0;
    if (!ctx.training || rate <= 0) return x;
    if (rate >= 1) throw new ModelError('bad-spec', `layer "${spec.name}" (dropout) needs a rate in [0, 1), got ${rate}`, spec.name);
    if (!ctx.rng) throw new ModelError('missing-rng', `layer "${spec.name}" (dropout) needs an rng in training mode: pass apply(x, { training: true, rng })`, spec.name);
    const keep = 1 / (1 - rate);
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = ctx.rng.nextFloat() >= rate ? keep : 0;
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  },
};
