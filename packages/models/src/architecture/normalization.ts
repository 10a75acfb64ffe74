import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { hiddenWeightedIndices, type NetworkRole } from './layer-roles.js';

/** Batch norm (Ioffe & Szegedy 2015), instance norm (Ulyanov et al. 2016), or none. */
export type Normalization = 'batch' | 'instance' | 'none';

/** DCGAN-tensorflow's batch norm (TF's defaults): ε 1e-5, decay 0.9; a family's own batch norm settings win. */
const DEFAULT_BATCH_NORM = { epsilon: 1e-5, momentum: 0.9 };

/**
 * A network's layers with every normalisation layer removed, then (batch, instance) one inserted after each
 * hidden weighted layer, not after G's output layer nor after D's input layer (Radford et al. 2015). A layer with
 * a fused activation is split so that the norm sits between the weights and the activation, as in DCGAN. Instance
 * norm needs feature maps: dense layers get none. `like` is the family's own batch norm, whose ε and momentum a
 * new batch norm copies.
 */
export function withNormalization(layers: readonly LayerSpec[], norm: Normalization, role: NetworkRole, like?: LayerSpec): LayerSpec[] {
  const plain = layers.filter((l) => l.kind !== 'batch-norm' && l.kind !== 'instance-norm');
  if (norm === 'none') return plain;
  const hidden = new Set(hiddenWeightedIndices(plain, role, true));
  const out: LayerSpec[] = [];
  let inserted = 0;
  plain.forEach((layer, i) => {
    if (!hidden.has(i) || (norm === 'instance' && layer.kind === 'dense')) {
      out.push(layer);
      return;
    }
    const activation = layer.activation ?? 'linear';
    out.push(activation === 'linear' ? layer : { ...layer, activation: 'linear' });
    out.push(
      norm === 'batch'
        ? { kind: 'batch-norm', name: `batch_norm_${layer.name}`, epsilon: like?.epsilon ?? DEFAULT_BATCH_NORM.epsilon, momentum: like?.momentum ?? DEFAULT_BATCH_NORM.momentum }
        : { kind: 'instance-norm', name: `instance_norm_${layer.name}`, epsilon: 1e-5 },
    );
    inserted++;
    if (activation !== 'linear') {
      const slope = layer.rate !== undefined && activation === 'leaky_relu' ? { rate: layer.rate } : {};
      out.push({ kind: 'activation', name: `${activation}_${layer.name}`, activation, ...slope });
    }
  });
  if (norm === 'instance' && inserted === 0 && role === 'generator') {
    throw new ModelError('bad-spec', 'instance norm normalises feature maps, and this generator has no hidden convolution', { where: role });
  }
  return out;
}
