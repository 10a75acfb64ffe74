import type { Rng } from '@forger/core';
import type { Initializer } from './layer.js';

/** Initial values drawn on the CPU from `rng`, so a seed gives the same weights on every backend. */
export function initialValues(init: Initializer, shape: number[], rng: Rng): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  switch (init.kind) {
    case 'glorot-uniform': {
      // Glorot & Bengio 2010 ("Xavier"), Keras' default kernel initializer.
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      return rng.fillUniform(out, -limit, limit);
    }
    case 'normal':
      return rng.fillNormal(out, 0, init.std);
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
  }
}
