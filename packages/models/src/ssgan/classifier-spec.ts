import type { ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';

/**
 * The supervised baseline of a semi-supervised spec: the same discriminator
 * network, trained on the labeled images only, with no generator. Only the
 * first `numClasses` outputs are trained and read, so an SSGAN (n+1) network
 * is kept unchanged and the two runs compare the very same classifier.
 */
export function classifierSpec(base: ModelSpec): ModelSpec {
  if (base.numClasses <= 0) throw new ModelError('bad-spec', `a classifier needs classes; the base spec "${base.variant}" has numClasses ${base.numClasses}`);
  return { ...base, family: 'classifier', variant: `${base.variant}-classifier`, latentDim: 0, generatorLayers: [] };
}
