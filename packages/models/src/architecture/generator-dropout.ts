import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { blockEnd, hiddenWeightedIndices } from './layer-roles.js';

/**
 * G's layers with persistent dropout after every hidden layer's block (weights, normalisation, activation): the
 * noise of pix2pix's generator (Isola et al. 2017), on at sampling time too.
 */
export function withGeneratorDropout(layers: readonly LayerSpec[], rate: number): LayerSpec[] {
  if (!(rate > 0 && rate < 1)) throw new ModelError('bad-spec', `generator dropout needs a rate in (0, 1), got ${rate}`, { where: 'generator' });
  const after = new Set(hiddenWeightedIndices(layers, 'generator', false).map((i) => blockEnd(layers, i)));
  return layers.flatMap((layer, i) => (after.has(i) ? [layer, { kind: 'persistent-dropout', name: `dropout_${layer.name}`, rate }] : [layer]));
}
