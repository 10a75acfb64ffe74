import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { windowOf } from '../network/spec-defaults.js';

/** How the generator doubles its feature maps. */
export type Upsampling = 'nearest' | 'bilinear' | 'transposed' | 'pixel-shuffle';

interface Site {
  factor: number;
  conv: LayerSpec;
}

/** One upsampling stage in the generator's own form, and the index after it. */
function siteAt(layers: readonly LayerSpec[], i: number): { site: Site; next: number } | undefined {
  const layer = layers[i]!;
  if (layer.kind === 'conv2d-transpose' && (layer.strides ?? 1) > 1) {
    return { site: { factor: layer.strides!, conv: layer }, next: i + 1 };
  }
  const following = layers[i + 1];
  if ((layer.kind === 'upsample' || layer.kind === 'bilinear-upsample') && following?.kind === 'conv2d' && (following.strides ?? 1) === 1) {
    return { site: { factor: windowOf(layer), conv: following }, next: i + 2 };
  }
  if (layer.kind === 'conv2d' && following?.kind === 'pixel-shuffle') {
    const factor = windowOf(following);
    return { site: { factor, conv: { ...layer, units: layer.units! / (factor * factor) } }, next: i + 2 };
  }
  return undefined;
}

/** A stage written in `mode`: the convolution keeps its name, kernel, filters, activation and bias. */
function stageOf({ factor, conv }: Site, mode: Upsampling): LayerSpec[] {
  const plain: LayerSpec = { ...conv, kind: 'conv2d', strides: 1, padding: 'same' };
  switch (mode) {
    case 'nearest':
      return [{ kind: 'upsample', name: `upsample_${conv.name}`, kernelSize: factor }, plain];
    case 'bilinear':
      return [{ kind: 'bilinear-upsample', name: `bilinear_upsample_${conv.name}`, kernelSize: factor }, plain];
    case 'transposed':
      return [{ ...conv, kind: 'conv2d-transpose', strides: factor, padding: 'same' }];
    case 'pixel-shuffle':
      // Shi et al. 2016: the convolution makes factor² times the channels, which the shuffle lays out spatially.
      return [{ ...plain, units: conv.units! * factor * factor }, { kind: 'pixel-shuffle', name: `pixel_shuffle_${conv.name}`, kernelSize: factor }];
  }
}

/**
 * G's layers with every upsampling stage rewritten: nearest or bilinear upsampling followed by a stride-1
 * convolution (keras-dcgan), a strided transposed convolution (DCGAN: "fractional-strided convolutions (generator)"),
 * or a convolution to factor² × the channels followed by PixelShuffle (Shi et al. 2016).
 */
export function withUpsampling(layers: readonly LayerSpec[], mode: Upsampling): LayerSpec[] {
  const out: LayerSpec[] = [];
  let sites = 0;
  for (let i = 0; i < layers.length; ) {
    const found = siteAt(layers, i);
    if (found) {
      sites++;
      out.push(...stageOf(found.site, mode));
      i = found.next;
    } else {
      out.push(layers[i]!);
      i++;
    }
  }
  if (sites === 0) throw new ModelError('bad-spec', 'the generator has no upsampling stage (upsampling + convolution, or a strided transposed convolution)', { where: 'generator' });
  return out;
}
