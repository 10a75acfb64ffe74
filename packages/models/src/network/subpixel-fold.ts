import * as tf from '@tensorflow/tfjs-core';
import type { LayerSpec } from '@forger/core';
import { choiceFlag } from './choice-flag.js';
import { convolveLayer } from './layers/conv2d.js';
import { depthToSpace } from './layers/pixel-shuffle.js';
import { paddingOf, stridesOf, windowOf } from './spec-defaults.js';

/*
 * keras-dcgan's generator upsamples by repeating pixels (nearest, ×2) and then convolves with a 5×5 kernel, so three
 * quarters of that convolution's work reads repeated pixels. Each output pixel of phase (i, j) in its 2×2 block
 * reads only 3×3 distinct input pixels, so the pair equals one convolution on the small image with 3×3 kernels and
 * 4× the filters, one set per phase, followed by a depth-to-space: the sub-pixel convolution of Shi et al. 2016.
 * For a 5×5 kernel that is 9/25 of the multiply-adds (keras-dcgan's generator: 48 → 22 million per image), the
 * same function up to float rounding (the folded kernel sums up to four weights before it multiplies).
 *
 * Networks fold at inference only: training keeps the layers as written, so a run's losses do not change.
 */

/** `FORGER_UPSAMPLE_CONV=direct` (or `tf.env().set(UPSAMPLE_CONV_FLAG, 'direct')`): upsample, then convolve, as written. */
export const UPSAMPLE_CONV_FLAG = 'FORGER_UPSAMPLE_CONV';
export type UpsampleConvRoute = 'subpixel' | 'direct';
export const upsampleConvRoute = choiceFlag<UpsampleConvRoute>(UPSAMPLE_CONV_FLAG, 'subpixel', 'direct');

/** How a nearest upsample by `factor` followed by a stride-1 'same' k×k conv2d runs as one convolution on the small image. */
export interface SubPixelFold {
  factor: number;
  kernelSize: number;
  /** The folded kernel's side: odd, so 'same' padding pads it evenly. */
  taps: number;
  /**
   * [factor · taps, kernelSize], 0/1, row-major: entry (p · taps + t, a) is 1 when tap a of the conv, at output
   * phase p along an axis, reads the small image at offset t − (taps − 1) / 2.
   */
  tapMatrix: Float32Array;
}

/**
 * The fold of `upsample` into the `conv` after it, or undefined when the pair is not of that form or folding would
 * not save work (a 3×3 kernel after ×2 already reads 3×3 distinct pixels per phase).
 */
export function planSubPixelFold(upsample: LayerSpec, conv: LayerSpec): SubPixelFold | undefined {
  if (upsample.kind !== 'upsample' || conv.kind !== 'conv2d') return undefined;
  if (stridesOf(conv) !== 1 || paddingOf(conv) !== 'same') return undefined;
  const factor = windowOf(upsample);
  const kernelSize = conv.kernelSize ?? 0;
  if (factor < 2 || kernelSize < 1) return undefined;
  // tfjs's 'same' padding at stride 1 pads floor((k − 1) / 2) before: tap a reads the big image at y + a − padBefore,
  // which is the small image's row floor((y + a − padBefore) / f), i.e. i + floor((p + a − padBefore) / f) for y = f·i + p.
  const padBefore = Math.floor((kernelSize - 1) / 2);
  const offset = (p: number, a: number): number => Math.floor((p + a - padBefore) / factor);
  let reach = 0;
  for (let p = 0; p < factor; p++) for (let a = 0; a < kernelSize; a++) reach = Math.max(reach, Math.abs(offset(p, a)));
  const taps = 2 * reach + 1;
  if (taps >= kernelSize) return undefined;
  const tapMatrix = new Float32Array(factor * taps * kernelSize);
  for (let p = 0; p < factor; p++) for (let a = 0; a < kernelSize; a++) tapMatrix[(p * taps + offset(p, a) + reach) * kernelSize + a] = 1;
  return { factor, kernelSize, taps, tapMatrix };
}

/**
 * The folded kernel [taps, taps, in, f² · out] of a conv kernel [k, k, in, out]: output channel (i · f + j) · out + c
 * is phase (i, j)'s filter c, the order depthToSpace reads. Built by two products with the tap matrix, one per axis,
 * so it follows the weights on any backend without reading them back.
 */
export function foldedKernel(kernel: tf.Tensor4D, fold: SubPixelFold): tf.Tensor4D {
  const { factor: f, taps: t, kernelSize: k } = fold;
  const [, , inputs, outputs] = kernel.shape;
  return tf.tidy(() => {
    const axis = tf.tensor2d(fold.tapMatrix, [f * t, k]);
    // rows: (i, ty) from the kernel's row taps a; the column taps b stay
    const rows = tf.matMul(axis, tf.reshape(kernel, [k, k * inputs * outputs]));
    const columnsFirst = tf.reshape(tf.transpose(tf.reshape(rows, [f * t, k, inputs * outputs]), [1, 0, 2]), [k, f * t * inputs * outputs]);
    // [(j, tx), (i, ty), in, out] → [ty, tx, in, (i, j, out)]
    const both = tf.reshape(tf.matMul(axis, columnsFirst), [f, t, f, t, inputs, outputs]);
    return tf.reshape(tf.transpose(both, [3, 1, 4, 2, 0, 5]), [t, t, inputs, f * f * outputs]);
  });
}

/** upsample(x) then `conv`, computed as the sub-pixel convolution of `fold` on the small image x. */
export function applyFoldedUpsampleConv(x: tf.Tensor4D, conv: LayerSpec, kernel: tf.Tensor4D, bias: tf.Tensor | undefined, fold: SubPixelFold): tf.Tensor4D {
  return tf.tidy(() => {
    const phases = fold.factor * fold.factor;
    const y = convolveLayer(x, conv, foldedKernel(kernel, fold), bias ? tf.tile(bias, [phases]) : undefined, 1, 'same');
    return depthToSpace(y, fold.factor);
  });
}
