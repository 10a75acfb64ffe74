import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import { gemmTargetOf } from '../webgpu/implicit-gemm.js';
import { inputGradientWgsl } from './convolution-gemm.js';
import { takesTapRoute } from './convolution-taps.js';
import { convRoute } from './webgpu-conv-routes.js';
import { fitsTapRoute, sumShiftedTaps, type TapGeometry } from './single-channel-taps.js';
import { KernelError } from '../backend/kernel-error.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * On webgpu, Forger's WGSL input gradient for a stride-1 'same' convolution from more than 8 channels
 * (convolution-gemm.ts); the backend's own otherwise and with FORGER_WEBGPU_CONV=tfjs.
 *
 * On wasm, the input gradient of a 2-D convolution (NHWC, dilation 1) as a forward convolution: tfjs-backend-wasm
 * 4.22's own Conv2DBackpropInput is a naive loop, 12× slower than XNNPACK's forward conv on the same
 * arithmetic.
 *
 * dx[b,h,w,ci] = Σ dy[b,oh,ow,co] · W[kh,kw,ci,co] over oh·s + kh − padTop = h is the "full"
 * convolution of dy with the filter flipped in space and with in/out channels swapped. For stride s > 1,
 * dy is first dilated (s − 1 zeros between its pixels, built by reshape + pad), so the conv itself always
 * runs at stride 1.
 */
function conv2DBackpropInputComposite(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const dy = inputs['dy'] as TensorInfo;
    const filter = inputs['filter'] as TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new KernelError('unsupported-layout', `Conv2DBackpropInput on ${backendName}: dataFormat "${dataFormat}" is not supported; Forger's networks are NHWC`);
    }
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;

    const k = new BackendKernels(backend as KernelBackend, backendName);
    if (backendName === 'webgpu') {
      // tfjs's own where Forger's gather lost on SwiftShader (trainer-node's `src/bench/kernels.ts --software-gpu`): strides
      // > 1 (SSGAN's transposed convolutions: it skips s² − 1 of every s² products it walks over; 4× slower), few
      // input channels (keras-dcgan's D conv 1, one channel: each gathered element serves one output; 2.6× slower)
      // and a valid forward convolution (D conv 2: half the window lies outside dy; 2.3× slower).
      // On a hardware GPU (an H200, batch 256) the gather wins for both of those too: D conv 2's valid input gradient
      // 3.0 ms against tfjs's 11.7, D conv 1's single channel 5.6 against 7.7; strides > 1 stay with tfjs's (not
      // measured there).
      const sameSize = info.inHeight === info.outHeight && info.inWidth === info.outWidth;
      const unitStride = strideHeight === 1 && strideWidth === 1;
      // One to four input channels from many go the tap route on either (convolution-taps.ts).
      const gathersWell = unitStride && (gemmTargetOf(backend as KernelBackend) === 'hardware' || (info.inChannels > 8 && sameSize)
        || takesTapRoute('inputGradient', info));
      if (convRoute() === 'tfjs' || !gathersWell) return k.run(Conv2DBackpropInput, inputs, attrs, true);
      return inputGradientWgsl(backend as KernelBackend, dy, filter, info);
    }
    if (info.padInfo.top > filterHeight - 1 || info.padInfo.left > filterWidth - 1) {
      // Padding wider than the filter (explicit only) leaves no full convolution: the backend's own handles it.
      return k.run(Conv2DBackpropInput, inputs, attrs, true);
    }
    if (backendName === 'wasm' && fitsTapRoute(info) && info.inChannels === 1) {
      return singleChannelInputGradient(k, dy, filter, info);
    }
    try {
      // dy with (s − 1) zeros after every pixel: [B, OH·sh, OW·sw, Co].
      const dilated = k.dilate(dy, strideHeight, strideWidth);
      // The full convolution reads dy from (KH − 1 − padTop) rows above to as many rows below as make
      // the valid output exactly H tall; a negative amount below means rows of dy that no dx uses.
      const top = filterHeight - 1 - info.padInfo.top;
      const left = filterWidth - 1 - info.padInfo.left;
      const rows = inHeight + filterHeight - 1 - top;   // rows of the dilated dy the conv needs
      const cols = inWidth + filterWidth - 1 - left;
      const dilatedRows = dilated.shape[1]!;
      const dilatedCols = dilated.shape[2]!;
      const cropped = k.slice(dilated, [0, 0, 0, 0], [batchSize, Math.min(rows, dilatedRows), Math.min(cols, dilatedCols), outChannels]);
      const bottom = Math.max(0, rows - dilatedRows);
      const right = Math.max(0, cols - dilatedCols);

      const flipped = k.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = k.transpose(flipped, [0, 1, 3, 2]);                 // [KH, KW, Co, Ci]
      const convAttrs: NamedAttrMap = {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]] as unknown as string,
        dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string,
      };
      const dx = k.run('Conv2D', { x: cropped, filter: swapped }, convAttrs, true);
      k.dispose(dx);
      return dx;
    } catch (e) {
      k.dispose();
      throw e;
    }
  };
}

/**
 * Stride 1 into a single-channel input (see single-channel-taps.ts): per-tap planes U = dy · W[t, :]ᵀ as
 * one matrix product [B·OH·OW, Co] · [Co, taps], then dx[p] = Σ_t U[p shifted back by t, t].
 */
function singleChannelInputGradient(k: BackendKernels, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, outChannels } = info;
  const g: TapGeometry = {
    batch: batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
  const taps = filterHeight * filterWidth;
  try {
    const filterByTap = k.reshape(filter, [taps, outChannels]);
    const filterT = k.transpose(filterByTap, [1, 0]);                                   // [Co, taps]
    const dyMatrix = k.reshape(dy, [batchSize * outHeight * outWidth, outChannels]);
    const perPixel = k.run('BatchMatMul', { a: dyMatrix, b: filterT }, { transposeA: false, transposeB: false });
    const dx = sumShiftedTaps(k, k.reshape(perPixel, [batchSize, outHeight, outWidth, taps]), g, {
      top: filterHeight - 1 - g.padTop, bottom: inHeight - outHeight + g.padTop,
      left: filterWidth - 1 - g.padLeft, right: inWidth - outWidth + g.padLeft,
    }, true, true);
    k.dispose(dx);
    return dx;
  } catch (e) {
    k.dispose();
    throw e;
  }
}

export function conv2DBackpropInputConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: Conv2DBackpropInput, backendName, kernelFunc: conv2DBackpropInputComposite(backendName) };
}
