import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { stridesOf, windowOf } from '../network/spec-defaults.js';

/** How the discriminator halves its feature maps. */
export type Downsampling = 'max-pool' | 'average-pool' | 'strided';

const POOLS: ReadonlySet<string> = new Set(['max-pool', 'average-pool']);

/**
 * D's layers with every downsampling site rewritten: a pooling layer (keras-dcgan) or a strided convolution
 * (SSGAN-Tensorflow, DCGAN). Pooling → strided moves the pool's stride onto the convolution before it; strided →
 * pooling makes the convolution stride 1 and pools right after it ("same" padding: the same output size). Radford
 * et al. 2015: "replace any pooling layers with strided convolutions (discriminator)".
 */
export function withDownsampling(layers: readonly LayerSpec[], mode: Downsampling): LayerSpec[] {
  const out: LayerSpec[] = [];
  let sites = 0;
  for (const layer of layers) {
    if (POOLS.has(layer.kind)) {
      sites++;
      if (mode !== 'strided') {
        out.push({ ...layer, kind: mode, name: `${mode === 'max-pool' ? 'max' : 'average'}_pool_${layer.name}` });
        continue;
      }
      // the pool's own stride, as the pooling layers read it
      const stride = stridesOf(layer, windowOf(layer));
      let convIndex = out.length - 1;
      while (convIndex >= 0 && out[convIndex]!.kind !== 'conv2d') convIndex--;
      const conv = out[convIndex];
      if (!conv || (conv.strides ?? 1) > 1) {
        throw new ModelError('bad-spec', `pooling layer "${layer.name}" follows no stride-1 convolution that could take its stride`, { where: layer.name });
      }
      out[convIndex] = { ...conv, strides: stride };
      continue;
    }
    if (layer.kind === 'conv2d' && (layer.strides ?? 1) > 1) {
      sites++;
      if (mode === 'strided') {
        out.push(layer);
        continue;
      }
      const stride = layer.strides!;
      out.push({ ...layer, strides: 1 });
      out.push({ kind: mode, name: `${mode === 'max-pool' ? 'max' : 'average'}_pool_${layer.name}`, kernelSize: stride, strides: stride, padding: 'same' });
      continue;
    }
    out.push(layer);
  }
  if (sites === 0) throw new ModelError('bad-spec', 'the discriminator has no pooling layer or strided convolution: it does not downsample', { where: 'discriminator' });
  return out;
}
