import type { Activation, LayerSpec } from '@forger/core';
import { outputActivationIndex, type NetworkRole } from './layer-roles.js';

/** The hidden units' non-linearity. */
export type HiddenActivation = 'relu' | 'leaky-relu';

/** Radford et al. 2015 (and SSGAN-Tensorflow): LeakyReLU's negative slope. */
export const LEAKY_SLOPE = 0.2;

const HIDDEN: ReadonlySet<Activation> = new Set<Activation>(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'softplus']);

/**
 * Every non-linear activation of a network, fused or as its own layer, replaced, except G's output squashing
 * (D's logits are linear already).
 */
export function withHiddenActivation(layers: readonly LayerSpec[], activation: HiddenActivation, role: NetworkRole): LayerSpec[] {
  const keep = role === 'generator' ? outputActivationIndex(layers) : -1;
  return layers.map((l, i) => {
    if (i === keep || l.activation === undefined || !HIDDEN.has(l.activation)) return l;
    if (activation === 'relu') {
      const { rate: _slope, ...rest } = l;
      return { ...rest, activation: 'relu' };
    }
    return { ...l, activation: 'leaky_relu', rate: LEAKY_SLOPE };
  });
}
