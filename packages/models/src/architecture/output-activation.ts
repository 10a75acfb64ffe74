import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { outputActivationIndex } from './layer-roles.js';

/** G's output squashing: tanh for pixels in [−1, 1], sigmoid for [0, 1]. */
export type OutputActivation = 'tanh' | 'sigmoid';

/** G's layers with its output activation set (the spec's pixelRange must follow: withArchitecture does). */
export function withOutputActivation(layers: readonly LayerSpec[], output: OutputActivation): LayerSpec[] {
  const i = outputActivationIndex(layers);
  if (i < 0) throw new ModelError('bad-spec', 'the generator has no tanh or sigmoid output layer to switch', { where: 'generator' });
  return layers.map((l, j) => (j === i ? { ...l, activation: output } : l));
}
