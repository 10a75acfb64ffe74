import type { LayerKind, LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { blockEnd, hiddenWeightedIndices, type NetworkRole } from './layer-roles.js';

/**
 * G's layers with persistent dropout after every hidden layer's block (weights, normalisation, activation): the
 * noise of pix2pix's generator (Isola et al. 2017), on at sampling time too.
 */
export function withGeneratorDropout(layers: readonly LayerSpec[], rate: number): LayerSpec[] {
  return withDropoutAfterHiddenBlocks(layers, 'generator', 'persistent-dropout', rate);
}

/**
 * D's layers with dropout after every hidden layer's block, in training only: the regulariser of the MLP GANs that
 * keep the discriminator from memorising a small network's samples (Goodfellow et al. 2014's maxout D used dropout;
 * Forger's vanilla recipe takes 0.3, issue 16's ablation).
 */
export function withDiscriminatorDropout(layers: readonly LayerSpec[], rate: number): LayerSpec[] {
  if (layers.some((l) => l.kind === 'dropout' || l.kind === 'gaussian-noise')) {
    throw new ModelError('bad-spec', 'this discriminator has dropout or Gaussian noise of its own (the semi-supervised recipes set theirs)', { where: 'discriminator' });
  }
  return withDropoutAfterHiddenBlocks(layers, 'discriminator', 'dropout', rate);
}

function withDropoutAfterHiddenBlocks(layers: readonly LayerSpec[], role: NetworkRole, kind: LayerKind, rate: number): LayerSpec[] {
  if (!(rate > 0 && rate < 1)) throw new ModelError('bad-spec', `${role} dropout needs a rate in (0, 1), got ${rate}`, { where: role });
  const after = new Set(hiddenWeightedIndices(layers, role, false).map((i) => blockEnd(layers, i)));
  if (after.size === 0) throw new ModelError('bad-spec', `the ${role} has no hidden layer to put dropout after`, { where: role });
  return layers.flatMap((layer, i) => (after.has(i) ? [layer, { kind, name: `dropout_${layer.name}`, rate }] : [layer]));
}
