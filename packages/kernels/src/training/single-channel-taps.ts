import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendKernels } from '../backend/backend-kernels.js';

/**
 * Convolutions with a single channel on one side — keras-dcgan's first D layer (1 → 64) and last G
 * layer (64 → 1) — are a poor fit for XNNPACK's convolution, which vectorises over channels: on wasm they
 * run at 1–5 GFLOP/s against 30–40 for the 64/128-channel layers. With one channel, the KH·KW filter
 * taps are few, so the work is better arranged as one matrix product over all taps (fast GEMM) plus
 * KH·KW shifted copies of a single-channel image: "im2col" / "col2im" for the single-channel side only,
 * each done by the backend's own convolution with a fixed one-hot filter (2–5× faster than the direct
 * convolution on wasm, measured at keras-dcgan's shapes).
 */

/**
 * Whether a convolution fits the single-channel route: stride 1, and zero padding no wider than the
 * filter reach on any side (always so for 'same' and 'valid'; an odd explicit padding goes the general way).
 */
export function fitsTapRoute(info: { strideHeight: number; strideWidth: number; filterHeight: number; filterWidth: number;
  padInfo: { top: number; bottom: number; left: number; right: number } }): boolean {
  const { top, bottom, left, right } = info.padInfo;
  return info.strideHeight === 1 && info.strideWidth === 1
    && Math.max(top, bottom) <= info.filterHeight - 1 && Math.max(left, right) <= info.filterWidth - 1;
}

/** Spatial geometry of a stride-1, dilation-1 convolution (NHWC). */
export interface TapGeometry {
  batch: number; inHeight: number; inWidth: number; outHeight: number; outWidth: number;
  filterHeight: number; filterWidth: number; padTop: number; padLeft: number;
}

/**
 * "im2col" of a single-channel `image` [B, Hi, Wi, 1]: a [B·rows·cols, taps] matrix whose column t holds
 * the image shifted by filter tap t = (kh, kw), zero outside — built by one convolution with a one-hot
 * filter E[kh, kw, 0, t] (each output channel copies one shifted tap) whose zero padding is `pad`. With
 * `flipped`, tap (kh, kw) reads from (KH−1−kh, KW−1−kw), i.e. the shift runs the other way.
 */
export function tapColumns(
  k: BackendKernels, image: TensorInfo, g: TapGeometry,
  pad: { top: number; bottom: number; left: number; right: number }, flipped: boolean,
): TensorInfo {
  const columns = k.run('Conv2D', { x: image, filter: oneHotTaps(k, g, flipped, 'spread') }, explicitConv(pad));
  const [batch, rows, cols, taps] = columns.shape as [number, number, number, number];
  return k.reshape(columns, [batch * rows * cols, taps]);
}

function oneHotTaps(k: BackendKernels, g: TapGeometry, flipped: boolean, direction: 'spread' | 'gather'): TensorInfo {
  const taps = g.filterHeight * g.filterWidth;
  const oneHot = new Float32Array(taps * taps);
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const at = flipped ? (g.filterHeight - 1 - kh) * g.filterWidth + (g.filterWidth - 1 - kw) : kh * g.filterWidth + kw;
      oneHot[at * taps + kh * g.filterWidth + kw] = 1;   // [at][t]: filter position `at` carries tap t
    }
  }
  // 'spread': [KH, KW, 1, taps] (one input channel to one channel per tap); 'gather': [KH, KW, taps, 1].
  const shape = direction === 'spread' ? [g.filterHeight, g.filterWidth, 1, taps] : [g.filterHeight, g.filterWidth, taps, 1];
  return k.constant(shape, oneHot);
}

function explicitConv(pad: { top: number; bottom: number; left: number; right: number }): NamedAttrMap {
  return {
    strides: [1, 1], pad: [[0, 0], [pad.top, pad.bottom], [pad.left, pad.right], [0, 0]] as unknown as string,
    dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string,
  };
}

/**
 * The inverse arrangement: given per-pixel tap values U [B, Hi, Wi, taps] (channel t = tap (kh, kw)),
 * sums each tap's plane shifted by its tap into a single-channel image — a convolution of U with a fixed
 * one-hot filter E[kh, kw, t, 0] = [t = tap(kh, kw)], run by the backend's own (fast) Conv2D. With
 * `flipped`, tap (kh, kw) sits at (KH−1−kh, KW−1−kw) in E (the full convolution of an input gradient).
 * `pad` is the zero padding of that convolution; its output is [B, rows, cols, 1].
 */
export function sumShiftedTaps(
  k: BackendKernels, perPixel: TensorInfo, g: TapGeometry,
  pad: { top: number; bottom: number; left: number; right: number }, flipped: boolean, keep: boolean,
): TensorInfo {
  return k.run('Conv2D', { x: perPixel, filter: oneHotTaps(k, g, flipped, 'gather') }, explicitConv(pad), keep);
}
