import { backend_util, Conv2D, type Conv2DAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import { convolutionWgsl, forwardConvInfo } from './convolution-gemm.js';
import { convRoute } from './webgpu-conv-routes.js';
import { fitsTapRoute, sumShiftedTaps, type TapGeometry } from './single-channel-taps.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * On webgpu, Forger's WGSL convolution (convolution-gemm.ts; FORGER_WEBGPU_CONV=tfjs: the backend's own).
 * On wasm, a forward convolution to a single output channel (keras-dcgan's last G layer, 64 → 1, which XNNPACK on
 * wasm runs at ~2–5 GFLOP/s): per-pixel tap values U = x · W[:, t] as one matrix product
 * [B·H·W, Ci] · [Ci, taps], then y[p] = Σ_t U[p shifted by t, t] (see single-channel-taps.ts). Every other
 * convolution goes to the backend's own kernel unchanged.
 */
function conv2DComposite(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const x = inputs['x'] as TensorInfo;
    const filter = inputs['filter'] as TensorInfo;
    const k = new BackendKernels(backend as KernelBackend, backendName);
    if (backendName === 'webgpu') {
      if (convRoute() === 'tfjs') return k.run(Conv2D, { x, filter }, attrs, true);
      return convolutionWgsl(backend as KernelBackend, x, filter, undefined, forwardConvInfo(x, filter, attrs as unknown as Conv2DAttrs), { kind: 'linear' });
    }
    const info = singleOutputConvInfo(x, filter, attrs as unknown as Conv2DAttrs);
    if (info === undefined) return k.run(Conv2D, { x, filter }, attrs, true);

    const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, inChannels } = info;
    const g: TapGeometry = {
      batch: batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth,
      padTop: info.padInfo.top, padLeft: info.padInfo.left,
    };
    const taps = filterHeight * filterWidth;
    try {
      const filterByTap = k.reshape(filter, [taps, inChannels]);
      const filterT = k.transpose(filterByTap, [1, 0]);                                 // [Ci, taps]
      const xMatrix = k.reshape(x, [batchSize * inHeight * inWidth, inChannels]);
      const perPixel = k.run('BatchMatMul', { a: xMatrix, b: filterT }, { transposeA: false, transposeB: false });
      const y = sumShiftedTaps(k, k.reshape(perPixel, [batchSize, inHeight, inWidth, taps]), g, {
        top: g.padTop, bottom: info.padInfo.bottom, left: g.padLeft, right: info.padInfo.right,
      }, false, true);
      k.dispose(y);
      return y;
    } catch (e) {
      k.dispose();
      throw e;
    }
  };
}

/** The conv's geometry when it takes the single-output-channel route (NHWC, dilation 1, fitting taps), else undefined. */
export function singleOutputConvInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | undefined {
  const info = forwardConvInfo(x, filter, attrs);
  const singleOutput = info.dataFormat === 'channelsLast' && info.outChannels === 1 && fitsTapRoute(info)
    && info.dilationHeight === 1 && info.dilationWidth === 1;
  return singleOutput ? info : undefined;
}

export function conv2DConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: Conv2D, backendName, kernelFunc: conv2DComposite(backendName) };
}
