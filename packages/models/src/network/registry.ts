import type { LayerKind } from '@forger/core';
import type { LayerKernel } from './layer.js';
import { ModelError } from '../errors.js';
import { activation } from './layers/activation.js';
import { batchNorm } from './layers/batch-norm.js';
import { conv2d } from './layers/conv2d.js';
import { conv2dTranspose } from './layers/conv2d-transpose.js';
import { dense } from './layers/dense.js';
import { dropout } from './layers/dropout.js';
import { flatten } from './layers/flatten.js';
import { gaussianNoise } from './layers/gaussian-noise.js';
import { globalAveragePool } from './layers/global-average-pool.js';
import { maxPool } from './layers/max-pool.js';
import { minibatchDiscrimination } from './layers/minibatch-discrimination.js';
import { reshape } from './layers/reshape.js';
import { upsample } from './layers/upsample.js';
import { averagePool } from './layers/average-pool.js';
import { bilinearUpsample } from './layers/bilinear-upsample.js';
import { instanceNorm } from './layers/instance-norm.js';
import { persistentDropout } from './layers/persistent-dropout.js';
import { pixelShuffle } from './layers/pixel-shuffle.js';

/** Every layer kind a spec may name, one kernel each. */
const LAYER_KERNELS: readonly LayerKernel[] = [
  dense,
  conv2d,
  conv2dTranspose,
  batchNorm,
  activation,
  upsample,
  maxPool,
  reshape,
  flatten,
  dropout,
  gaussianNoise,
  minibatchDiscrimination,
  globalAveragePool,
  averagePool,
  instanceNorm,
  pixelShuffle,
  bilinearUpsample,
  persistentDropout,
];

const BY_KIND = new Map<string, LayerKernel>(LAYER_KERNELS.map((k) => [k.kind, k]));

export function layerKernel(kind: LayerKind, layerName: string): LayerKernel {
  const kernel = BY_KIND.get(kind);
  if (!kernel) {
    throw new ModelError('unknown-layer', `layer "${layerName}" has unknown kind "${String(kind)}"; known kinds: ${[...BY_KIND.keys()].join(', ')}`, { where: layerName });
  }
  return kernel;
}
