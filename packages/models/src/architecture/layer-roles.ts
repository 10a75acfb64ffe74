import type { LayerSpec } from '@forger/core';

/** Layers with weights that map features to features: where normalisation and activations attach. */
export const WEIGHTED_KINDS: ReadonlySet<string> = new Set(['dense', 'conv2d', 'conv2d-transpose']);

export const NORM_KINDS: ReadonlySet<string> = new Set(['batch-norm', 'instance-norm']);

export type NetworkRole = 'generator' | 'discriminator';

/**
 * Indices of the hidden weighted layers: every dense/conv layer but the network's last (G's output, D's logits),
 * and for the discriminator not its first either (Radford et al. 2015: "not applying batchnorm to the generator
 * output layer and the discriminator input layer").
 */
export function hiddenWeightedIndices(layers: readonly LayerSpec[], role: NetworkRole, skipDiscriminatorInput: boolean): number[] {
  const weighted = layers.flatMap((l, i) => (WEIGHTED_KINDS.has(l.kind) ? [i] : []));
  const hidden = weighted.slice(0, -1);
  return role === 'discriminator' && skipDiscriminatorInput ? hidden.slice(1) : hidden;
}

/** The last index of a weighted layer's block: the layer plus the normalisation and activation layers right after it. */
export function blockEnd(layers: readonly LayerSpec[], index: number): number {
  let end = index;
  while (end + 1 < layers.length && (NORM_KINDS.has(layers[end + 1]!.kind) || layers[end + 1]!.kind === 'activation')) end++;
  return end;
}

/** The index of G's output activation: the last layer naming tanh or sigmoid, fused or as an activation layer. */
export function outputActivationIndex(layers: readonly LayerSpec[]): number {
  for (let i = layers.length - 1; i >= 0; i--) {
    const a = layers[i]!.activation;
    if (a === 'tanh' || a === 'sigmoid') return i;
    if (WEIGHTED_KINDS.has(layers[i]!.kind)) return -1;
  }
  return -1;
}
