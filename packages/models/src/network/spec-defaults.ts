import type { Activation, LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';

// A proto3 field that was never set decodes as 0 / '' / false, so a zero here
// means "use the Keras default", and a spec survives a checkpoint round trip.

export function positiveInt(spec: LayerSpec, field: 'units' | 'kernelSize', what: string): number {
  const v = spec[field];
  if (v === undefined || !Number.isInteger(v) || v <= 0) {
    throw new ModelError('bad-spec', `layer "${spec.name}" (${spec.kind}) needs ${what} as a positive integer in "${field}", got ${String(v)}`, { where: spec.name });
  }
  return v;
}

export function stridesOf(spec: LayerSpec, fallback = 1): number {
  return spec.strides !== undefined && spec.strides > 0 ? spec.strides : fallback;
}

export function paddingOf(spec: LayerSpec): 'same' | 'valid' {
  return spec.padding ?? 'valid'; // Keras default
}

export function activationOf(spec: LayerSpec): Activation {
  return spec.activation === undefined || (spec.activation as string) === '' ? 'linear' : spec.activation;
}

/** Keras BatchNormalization defaults: epsilon 1e-3, momentum 0.99. */
export function epsilonOf(spec: LayerSpec): number {
  return spec.epsilon !== undefined && spec.epsilon > 0 ? spec.epsilon : 1e-3;
}

export function momentumOf(spec: LayerSpec): number {
  return spec.momentum !== undefined && spec.momentum > 0 ? spec.momentum : 0.99;
}

/** A bias exists only when the spec says so, because an unset proto3 bool reads false. */
export function hasBias(spec: LayerSpec): boolean {
  return spec.useBias === true;
}

/** Leaky-ReLU slope: 0.2, as DCGAN (Radford et al. 2015) and SSGAN-Tensorflow use. */
export function leakySlopeOf(spec: LayerSpec): number {
  return spec.rate !== undefined && spec.rate > 0 ? spec.rate : 0.2;
}

/**
 * A pooling window, an upsampling factor or a PixelShuffle block: `kernelSize`, else Keras's default of 2
 * (MaxPooling2D and AveragePooling2D pool_size, UpSampling2D size (2, 2)).
 */
export function windowOf(spec: LayerSpec): number {
  return spec.kernelSize !== undefined && spec.kernelSize > 0 ? spec.kernelSize : 2;
}

/** The [height, width, channels] of an image layer that scales both sides by windowOf(spec) (upsampling). */
export function upsampledShape(spec: LayerSpec, inputShape: number[]): number[] {
  expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
  const f = windowOf(spec);
  return [inputShape[0]! * f, inputShape[1]! * f, inputShape[2]!];
}

export function expectRank(spec: LayerSpec, inputShape: number[], rank: number, what: string): void {
  if (inputShape.length !== rank) {
    throw new ModelError('bad-spec', `layer "${spec.name}" (${spec.kind}) needs ${what} (rank ${rank} without the batch axis), got input shape [${inputShape.join(', ')}]`, { where: spec.name }
    );
  }
}

export function convOutputSize(input: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1;
}
