import type { DType, LatentPrior, LayerKind, ModelFamily, Padding, PixelRange, WeightNorm } from './types.js';

// Friendly string ⇄ proto enum number. The index in each list is the proto
// value; index 0 is the proto's *_UNSPECIFIED, which no friendly value maps to.

export const MODEL_FAMILIES: readonly (ModelFamily | undefined)[] = [undefined, 'vanilla', 'dcgan', 'ssgan', 'classifier', 'acgan'];
export const LATENT_PRIORS: readonly (LatentPrior | undefined)[] = [undefined, 'uniform', 'normal'];
export const PIXEL_RANGES: readonly (PixelRange | undefined)[] = [undefined, 'zero-one', 'minus-one-one'];
export const PADDINGS: readonly (Padding | undefined)[] = [undefined, 'same', 'valid'];
// WEIGHT_NORM_NONE (0) is an absent weightNorm.
export const WEIGHT_NORMS: readonly (WeightNorm | undefined)[] = [undefined, 'fixed-scale', 'trained-scale'];
export const DTYPES: readonly (DType | undefined)[] = [undefined, 'float32', 'float16', 'int8'];
export const LAYER_KINDS: readonly (LayerKind | undefined)[] = [
  undefined,
  'dense',
  'conv2d',
  'conv2d-transpose',
  'batch-norm',
  'activation',
  'upsample',
  'max-pool',
  'reshape',
  'flatten',
  'dropout',
  'gaussian-noise',
  'minibatch-discrimination',
  'global-average-pool',
  'average-pool',
  'instance-norm',
  'pixel-shuffle',
  'bilinear-upsample',
  'persistent-dropout',
];
export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'softplus'] as const;

export function enumValue<T>(list: readonly (T | undefined)[], value: T): number {
  const i = list.indexOf(value);
  return i > 0 ? i : 0;
}

export function enumName<T>(list: readonly (T | undefined)[], value: number): T | undefined {
  return Number.isInteger(value) ? list[value] : undefined;
}

export function isOneOf<T>(list: readonly (T | undefined)[], value: unknown): value is T {
  return value !== undefined && (list as readonly unknown[]).includes(value);
}
