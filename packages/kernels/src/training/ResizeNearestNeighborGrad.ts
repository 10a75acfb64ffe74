import { ResizeNearestNeighborGrad, type KernelBackend, type KernelConfig, type KernelFunc, type ResizeNearestNeighborGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * The gradient of nearest-neighbour resizing (keras UpSampling2D). tfjs-backend-cpu 4.22's own is wrong as
 * soon as there is more than one image or channel (it differs from the adjoint of its own forward resize
 * by the size of dy; wasm's and webgpu's agree with that adjoint): with it, `--backend cpu` would train a
 * DCGAN generator on a wrong gradient.
 *
 * Each output pixel copies exactly one input pixel, chosen per axis, so the gradient is a sum of dy over
 * the output rows and columns that copied each input row and column: dx = Rᵀ · dy · C with one-hot
 * matrices R [outH, inH], C [outW, inW] built from the same index rule as the forward kernel
 * (tfjs's resizeNearestNeighbor: align corners, half-pixel centres). Two batched matrix products.
 */
function resizeNearestNeighborGradComposite(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const dy = inputs['dy'] as TensorInfo;
    const images = inputs['images'] as TensorInfo;
    const { alignCorners, halfPixelCenters } = attrs as unknown as ResizeNearestNeighborGradAttrs;
    const [batch, inHeight, inWidth, channels] = images.shape as [number, number, number, number];
    const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
    const k = new BackendKernels(backend as KernelBackend, backendName);
    try {
      // Rows: [1, inH, outH] · [B, outH, outW·C] → [B, inH, outW·C].
      const rowsT = k.constant([1, inHeight, outHeight], sourceSelection(inHeight, outHeight, alignCorners, halfPixelCenters, true));
      const byRows = k.run('BatchMatMul', { a: rowsT, b: k.reshape(dy, [batch, outHeight, outWidth * channels]) }, { transposeA: false, transposeB: false });
      // Columns: [1, inW, outW] · [B·inH, outW, C] → [B·inH, inW, C].
      const colsT = k.constant([1, inWidth, outWidth], sourceSelection(inWidth, outWidth, alignCorners, halfPixelCenters, true));
      const byCols = k.run('BatchMatMul', { a: colsT, b: k.reshape(byRows, [batch * inHeight, outWidth, channels]) }, { transposeA: false, transposeB: false });
      const dx = k.run('Reshape', { x: byCols }, { shape: [batch, inHeight, inWidth, channels] }, true);
      k.dispose(dx);
      return dx;
    } catch (e) {
      k.dispose();
      throw e;
    }
  };
}

/**
 * One-hot selection between an input axis of `inSize` and an output axis of `outSize`, as tfjs's
 * nearest-neighbour resize picks its source: entry [src, dst] (transposed) or [dst, src] is 1 when
 * output index dst copies input index src.
 */
export function sourceSelection(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean, transposed: boolean): Float32Array {
  const effectiveIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effectiveOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const scale = effectiveIn / effectiveOut;
  const m = new Float32Array(inSize * outSize);
  for (let dst = 0; dst < outSize; dst++) {
    const fraction = halfPixelCenters ? scale * (dst + 0.5) : scale * dst;
    let src = Math.min(inSize - 1, alignCorners ? Math.round(fraction) : Math.floor(fraction));
    if (halfPixelCenters) src = Math.max(0, src);
    m[transposed ? src * outSize + dst : dst * inSize + src] = 1;
  }
  return m;
}

export function resizeNearestNeighborGradConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: ResizeNearestNeighborGrad, backendName, kernelFunc: resizeNearestNeighborGradComposite(backendName) };
}
