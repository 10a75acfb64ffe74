import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import { filterGradientGemm } from './convolution-gemm.js';
import { filterGradientRoute } from './webgpu-conv-routes.js';
import { fitsTapRoute, tapColumns, type TapGeometry } from './single-channel-taps.js';
import { KernelError } from '../backend/kernel-error.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * The filter gradient of a 2-D convolution (NHWC, dilation 1), composed from the backend's own fast
 * kernels: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all, and tfjs-backend-webgpu's took
 * 304 of 347 ms of a batch-256 DCGAN iteration on an H100 (issue 7).
 *
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh − padTop, ow·s + kw − padLeft, ci] · dy[b,oh,ow,co]
 * is itself a forward convolution once the batch plays the role of the channels: the input is
 * x transposed to [Ci, H, W, B], the "filter" is dy transposed to [OH, OW, B, Co], it is applied with
 * dilation = the forward stride and stride 1, and the [Ci, KH, KW, Co] result is transposed back.
 * Padding of the forward conv becomes an explicit zero pad of x (and a slice when the valid
 * convolution reaches further than the filter).
 * On webgpu a split-K WGSL program replaces it by default (convolution-gemm.ts: two dispatches, and every
 * workgroup busy when the outputs are few); FORGER_WEBGPU_FILTER_GRADIENT=composite brings this one back.
 */
function conv2DBackpropFilterComposite(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const x = inputs['x'] as TensorInfo;
    const dy = inputs['dy'] as TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new KernelError('unsupported-layout', `Conv2DBackpropFilter on ${backendName}: dataFormat "${dataFormat}" is not supported; Forger's networks are NHWC`);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
    const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;
    // Rows/columns of x the forward conv read, past the bottom/right edge (zeros there).
    const bottom = Math.max(0, filterHeight - 1 + (outHeight - 1) * strideHeight - top - (inHeight - 1));
    const right = Math.max(0, filterWidth - 1 + (outWidth - 1) * strideWidth - left - (inWidth - 1));

    if (backendName === 'webgpu' && filterGradientRoute() === 'direct') return filterGradientGemm(backend as KernelBackend, x, dy, info);
    const k = new BackendKernels(backend as KernelBackend, backendName);
    if (backendName === 'wasm' && fitsTapRoute(info) && (info.inChannels === 1 || info.outChannels === 1)) {
      return singleChannelFilterGradient(k, x, dy, info);
    }
    try {
      const xPadded = k.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
      const xByChannel = k.transpose(xPadded, [3, 1, 2, 0]);          // [Ci, Hp, Wp, B]
      const dyAsFilter = k.transpose(dy, [1, 2, 0, 3]);                // [OH, OW, B, Co]
      const convAttrs: NamedAttrMap = {
        strides: [1, 1], pad: 'valid', dataFormat: 'NHWC',
        dilations: [strideHeight, strideWidth], dimRoundingMode: undefined as unknown as string,
      };
      const full = k.run('Conv2D', { x: xByChannel, filter: dyAsFilter }, convAttrs);  // [Ci, ≥KH, ≥KW, Co]
      const dwByChannel = k.slice(full, [0, 0, 0, 0], [info.inChannels, filterHeight, filterWidth, info.outChannels]);
      const dw = k.run('Transpose', { x: dwByChannel }, { perm: [1, 2, 0, 3] }, true);  // [KH, KW, Ci, Co]
      k.dispose(dw);
      return dw;
    } catch (e) {
      k.dispose();
      throw e;
    }
  };
}

/**
 * Stride 1 with one input or one output channel (see single-channel-taps.ts): dW as one matrix product,
 * [taps, B·OH·OW] · [B·OH·OW, channels], where the taps matrix holds the shifted single-channel side
 * (built by a one-hot convolution, then transposed).
 *   Ci = 1: dW[t, co] = Σ_p x[p shifted by t] · dy[p, co]         (rows: x, shifted forward)
 *   Co = 1: dW[t, ci] = Σ_q dy[q shifted back by t] · x[q, ci]    (rows: dy, shifted backward, over x's positions)
 */
function singleChannelFilterGradient(k: BackendKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  const g: TapGeometry = {
    batch: batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
  try {
    let dwByTap: TensorInfo;
    if (inChannels === 1) {
      const columns = tapColumns(k, x, g, {
        top: g.padTop, bottom: info.padInfo.bottom, left: g.padLeft, right: info.padInfo.right,
      }, false);                                                                           // [B·OH·OW, taps]
      const dyMatrix = k.reshape(dy, [batchSize * outHeight * outWidth, outChannels]);
      dwByTap = k.run('BatchMatMul', { a: k.transpose(columns, [1, 0]), b: dyMatrix }, { transposeA: false, transposeB: false });
    } else {
      const columns = tapColumns(k, dy, g, {
        top: filterHeight - 1 - g.padTop, bottom: inHeight - outHeight + g.padTop,
        left: filterWidth - 1 - g.padLeft, right: inWidth - outWidth + g.padLeft,
      }, true);                                                                            // [B·H·W, taps]
      const xMatrix = k.reshape(x, [batchSize * inHeight * inWidth, inChannels]);
      dwByTap = k.run('BatchMatMul', { a: k.transpose(columns, [1, 0]), b: xMatrix }, { transposeA: false, transposeB: false });
    }
    const dw = k.run('Reshape', { x: dwByTap }, { shape: [filterHeight, filterWidth, inChannels, outChannels] }, true);
    k.dispose(dw);
    return dw;
  } catch (e) {
    k.dispose();
    throw e;
  }
}

export function conv2DBackpropFilterConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc: conv2DBackpropFilterComposite(backendName) };
}
