import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@forger/core';
import { hasForgerKernel, RANDOM_NOISE_KERNEL } from './forger-kernels.js';

/**
 * Training noise drawn from a counter-based hash of (seed, element index) instead of a stream of CPU draws: the
 * layer takes one 32-bit seed from its Rng per call, and a backend can make the whole mask or noise on the device
 * in the same pass that applies it (RANDOM_NOISE_KERNEL). SSGAN draws an activation-sized mask per dropout layer
 * per step: on an H200 at batch 256 filling them on the CPU and uploading them took most of a 485 ms iteration.
 * Runs stay reproducible and resumable (the seed comes from the run's Rng, saved in the checkpoint), and every
 * backend draws the same dropout mask bit for bit (integer hashing; the keep test and the scale in float32).
 */
export interface RandomNoiseAttrs {
  /** 'dropout': y = u ≥ rate ? x·f32(1/(1 − rate)) : 0. 'gaussian': y = x + rate·n. */
  kind: 'dropout' | 'gaussian';
  /** Dropout probability in [0, 1), or the noise's standard deviation. */
  rate: number;
  /** An integer in [0, 2³²). */
  seed: number;
}

/** Chris Wellons' lowbias32 integer hash: full avalanche in 5 operations that WGSL has too. */
function lowbias32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The second key a seed's bits are mixed with: one hash per call, not per element. */
export function noiseSecondKey(seed: number): number {
  return lowbias32((seed ^ 0x9e3779b9) >>> 0);
}

function bitsWith(seed: number, key2: number, i: number, j: 0 | 1): number {
  return lowbias32(lowbias32(((2 * i + j) ^ seed) >>> 0) ^ key2);
}

/** 32 random bits for stream `j` (0 or 1) of element `i`. The WGSL in @forger/trainer-node mirrors it. */
export function noiseBits(seed: number, i: number, j: 0 | 1): number {
  return bitsWith(seed, noiseSecondKey(seed), i, j);
}

/** The top 24 bits as a float in [0, 1), exact in float32. */
export function unitOf(bits: number): number {
  return (bits >>> 8) * 2 ** -24;
}

/**
 * Per element, what the kernel multiplies x by (dropout: 0 or the float32 scale) or adds to it (gaussian:
 * rate·n, Box–Muller on two 24-bit uniforms). The reference the kernels are checked against.
 */
export function noiseValues(attrs: RandomNoiseAttrs, size: number, out: Float32Array<ArrayBufferLike> = new Float32Array(size)): Float32Array<ArrayBufferLike> {
  const seed = attrs.seed >>> 0;
  const key2 = noiseSecondKey(seed);
  if (attrs.kind === 'dropout') {
    const rate = Math.fround(attrs.rate);
    const scale = Math.fround(1 / (1 - attrs.rate));
    for (let i = 0; i < size; i++) out[i] = unitOf(bitsWith(seed, key2, i, 0)) >= rate ? scale : 0;
    return out;
  }
  for (let i = 0; i < size; i++) {
    const u1 = unitOf(bitsWith(seed, key2, i, 0)) + 2 ** -24;   // (0, 1]: log never sees 0
    const u2 = unitOf(bitsWith(seed, key2, i, 1));
    // The angle in [−π, π): where WGSL bounds cos's error (2⁻¹¹ absolute).
    out[i] = attrs.rate * Math.sqrt(-2 * Math.log(u1)) * Math.cos(Math.PI * (2 * u2 - 1));
  }
  return out;
}

/** The seed of one call, one draw of the layer's Rng. */
export function drawNoiseSeed(rng: Rng): number {
  return rng.int(2 ** 32);
}

let gradientRegistered = false;

/** dropout: the same mask on dy (the kernel again, same seed); gaussian: dy. Registered on first use. */
function registerNoiseGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: RANDOM_NOISE_KERNEL,
    gradFunc: (dy, _saved, attrs) => ({
      x: () => ((attrs as unknown as RandomNoiseAttrs).kind === 'dropout'
        ? tf.engine().runKernel(RANDOM_NOISE_KERNEL, { x: dy as tf.Tensor }, attrs) as tf.Tensor
        : tf.clone(dy as tf.Tensor)),
    }),
  });
}

/**
 * x with the noise applied: RANDOM_NOISE_KERNEL where the backend has it (one pass on the device), else the
 * values made here on the CPU and applied with one tfjs op (the same mask; the same noise up to float rounding).
 */
export function applyRandomNoise(x: tf.Tensor, attrs: RandomNoiseAttrs): tf.Tensor {
  if (hasForgerKernel(RANDOM_NOISE_KERNEL)) {
    registerNoiseGradient();
    return tf.engine().runKernel(RANDOM_NOISE_KERNEL, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => {
    const values = tf.tensor(noiseValues(attrs, x.size), x.shape, 'float32');
    return attrs.kind === 'dropout' ? tf.mul(x, values) : tf.add(x, values);
  });
}
