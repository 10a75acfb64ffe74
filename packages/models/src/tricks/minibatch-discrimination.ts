import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';

/**
 * Minibatch discrimination (Salimans et al. 2016, §3.2) as a spec edit: insert
 * a `minibatch-discrimination` layer just before the discriminator's last
 * layer, where the features are flat. B = 100 kernels of C = 5 dimensions are
 * the sizes of the paper's code (openai/improved-gan, nn.py MinibatchLayer
 * in the CIFAR model).
 */
export function withMinibatchDiscrimination(discriminatorLayers: LayerSpec[], o: { kernels?: number; kernelDim?: number } = {}): LayerSpec[] {
  const last = discriminatorLayers[discriminatorLayers.length - 1];
  if (!last || last.kind !== 'dense') {
    throw new ModelError('bad-spec', 'minibatch discrimination goes before the discriminator\'s final dense layer, but the last layer is not dense');
  }
  const layer: LayerSpec = { kind: 'minibatch-discrimination', name: 'minibatch_discrimination', units: o.kernels ?? 100, kernelSize: o.kernelDim ?? 5 };
  return [...discriminatorLayers.slice(0, -1), layer, last];
}
