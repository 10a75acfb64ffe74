import { backend_util, MaxPoolGrad, type KernelBackend, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import { KernelError } from '../backend/kernel-error.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * The gradient of 2-D max pooling (NHWC). tfjs-backend-wasm 4.22's own MaxPoolGrad is wrong as soon as
 * there is more than one window along any axis or more than one channel or image (it disagrees with the
 * cpu backend by the full size of dy; found by Forger's keras-dcgan gradient check), so every wasm
 * training step through keras-dcgan's discriminator would learn from a wrong gradient.
 *
 * Written from the backend's own kernels, for any window, stride and padding: for each offset (r, s)
 * inside the window, the input values at that offset of every window are a strided slice of x; they
 * are compared with the pooled maximum y, and dy goes to the FIRST offset (row-major) that equals it —
 * the cpu backend's rule for ties (`pixel > max`, scanning the window in order). Each offset's share is
 * then spread back to its input positions (dilate by the stride, shift by the offset) and summed, which
 * also covers overlapping windows.
 */
function maxPoolGradComposite(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const dy = inputs['dy'] as TensorInfo;
    const x = inputs['input'] as TensorInfo;
    const y = inputs['output'] as TensorInfo;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
      throw new KernelError('unsupported-attrs', `MaxPoolGrad on ${backendName}: dilated pooling is not supported`);
    }
    const { top, left } = info.padInfo;
    // Padded extent the windows cover; padding never wins a max, so it is filled with −∞.
    const paddedHeight = Math.max(inHeight + top, (outHeight - 1) * strideHeight + filterHeight);
    const paddedWidth = Math.max(inWidth + left, (outWidth - 1) * strideWidth + filterWidth);

    const k = new BackendKernels(backend as KernelBackend, backendName);
    if (strideHeight === filterHeight && strideWidth === filterWidth && top === 0 && left === 0) {
      return tiledMaxPoolGrad(k, dy, x, y, info);
    }
    try {
      const xPadded = top === 0 && left === 0 && paddedHeight === inHeight && paddedWidth === inWidth
        ? x
        : k.run('PadV2', { x }, {
          paddings: [[0, 0], [top, paddedHeight - inHeight - top], [left, paddedWidth - inWidth - left], [0, 0]],
          constantValue: Number.NEGATIVE_INFINITY,
        });
      let unclaimed: TensorInfo | undefined;        // 1 where no earlier offset of the window took the max
      const shares: TensorInfo[] = [];
      for (let r = 0; r < filterHeight; r++) {
        for (let s = 0; s < filterWidth; s++) {
          const atOffset = k.run('StridedSlice', { x: xPadded }, {
            begin: [0, r, s, 0],
            end: [batchSize, r + (outHeight - 1) * strideHeight + 1, s + (outWidth - 1) * strideWidth + 1, inChannels],
            strides: [1, strideHeight, strideWidth, 1],
            beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
          });                                                                            // [B, OH, OW, C]
          const isMax = k.run('Cast', { x: k.run('Equal', { a: atOffset, b: y }) }, { dtype: 'float32' });
          const claims = unclaimed === undefined ? isMax : k.run('Multiply', { a: isMax, b: unclaimed });
          const last = r === filterHeight - 1 && s === filterWidth - 1;
          if (!last) unclaimed = unclaimed === undefined
            ? k.run('Sub', { a: k.constant([], new Float32Array([1])), b: claims })
            : k.run('Sub', { a: unclaimed, b: claims });
          const share = k.run('Multiply', { a: dy, b: claims });                         // [B, OH, OW, C]
          // Back to input positions: window (oh, ow) at offset (r, s) sits at (oh·sh + r, ow·sw + s).
          const spread = k.dilate(share, strideHeight, strideWidth);
          const spreadHeight = spread.shape[1]!;
          const spreadWidth = spread.shape[2]!;
          const placed = k.slice(
            k.pad(spread, [[0, 0], [r, Math.max(0, paddedHeight - r - spreadHeight)], [s, Math.max(0, paddedWidth - s - spreadWidth)], [0, 0]]),
            [0, 0, 0, 0], [batchSize, paddedHeight, paddedWidth, inChannels]);
          shares.push(placed);
        }
      }
      const summed = shares.length === 1 ? shares[0]! : k.run('AddN', shares as unknown as Record<string, TensorInfo>);
      const dx = k.run('Slice', { x: summed }, { begin: [0, top, left, 0], size: [batchSize, inHeight, inWidth, inChannels] }, true);
      k.dispose(dx);
      return dx;
    } catch (e) {
      k.dispose();
      throw e;
    }
  };
}

/**
 * Non-overlapping windows (stride = window, no padding: keras-dcgan's 2×2 pools) without strided slices,
 * which tfjs-backend-wasm runs ~10× slower than plain slices: the windows tile x, so reshapes expose each
 * offset (r, s) as a plain slice, and the shares are interleaved back by concatenation.
 */
function tiledMaxPoolGrad(k: BackendKernels, dy: TensorInfo, x: TensorInfo, y: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight: fh, filterWidth: fw } = info;
  try {
    // Rows and columns past the last whole window get no gradient (valid pooling).
    const tiled = k.slice(x, [0, 0, 0, 0], [batchSize, outHeight * fh, outWidth * fw, c]);
    const byRow = k.reshape(tiled, [batchSize * outHeight, fh, outWidth, fw * c]);
    const windows = batchSize * outHeight * outWidth;
    const yFlat = k.reshape(y, [windows, 1, c]);
    const dyFlat = k.reshape(dy, [windows, 1, c]);
    let unclaimed: TensorInfo | undefined;
    const rows: TensorInfo[] = [];
    for (let r = 0; r < fh; r++) {
      const atRow = k.reshape(k.slice(byRow, [0, r, 0, 0], [batchSize * outHeight, 1, outWidth, fw * c]), [windows, fw, c]);
      const columns: TensorInfo[] = [];
      for (let s = 0; s < fw; s++) {
        const atOffset = k.slice(atRow, [0, s, 0], [windows, 1, c]);                     // [windows, 1, C]
        const isMax = k.run('Cast', { x: k.run('Equal', { a: atOffset, b: yFlat }) }, { dtype: 'float32' });
        const claims = unclaimed === undefined ? isMax : k.run('Multiply', { a: isMax, b: unclaimed });
        if (r !== fh - 1 || s !== fw - 1) unclaimed = unclaimed === undefined
          ? k.run('Sub', { a: k.constant([], new Float32Array([1])), b: claims })
          : k.run('Sub', { a: unclaimed, b: claims });
        columns.push(k.run('Multiply', { a: dyFlat, b: claims }));
      }
      const row = fw === 1 ? columns[0]! : k.run('Concat', columns as unknown as Record<string, TensorInfo>, { axis: 1 });   // [windows, fw, C]
      rows.push(k.reshape(row, [batchSize * outHeight, 1, outWidth * fw * c]));
    }
    const stacked = fh === 1 ? rows[0]! : k.run('Concat', rows as unknown as Record<string, TensorInfo>, { axis: 1 });       // [B·OH, fh, OW·fw·C]
    const dxTiled = k.reshape(stacked, [batchSize, outHeight * fh, outWidth * fw, c]);
    const dx = k.run('PadV2', { x: dxTiled }, {
      paddings: [[0, 0], [0, inHeight - outHeight * fh], [0, inWidth - outWidth * fw], [0, 0]], constantValue: 0,
    }, true);
    k.dispose(dx);
    return dx;
  } catch (e) {
    k.dispose();
    throw e;
  }
}

export function maxPoolGradConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: MaxPoolGrad, backendName, kernelFunc: maxPoolGradComposite(backendName) };
}
