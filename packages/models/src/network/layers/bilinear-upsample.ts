import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { upsampledShape, windowOf } from '../spec-defaults.js';

/**
 * The [size·f, size] matrix of bilinear interpolation along one axis with half-pixel centres: output o samples the
 * input at (o + ½)/f − ½, clamped to the edge pixels, weighting its two neighbours linearly.
 */
export function interpolationMatrix(size: number, f: number): Float32Array {
  const out = size * f;
  const m = new Float32Array(out * size);
  for (let o = 0; o < out; o++) {
    const source = Math.min(Math.max((o + 0.5) / f - 0.5, 0), size - 1);
    const low = Math.floor(source);
    const high = Math.min(low + 1, size - 1);
    const t = source - low;
    m[o * size + low]! += 1 - t;
    m[o * size + high]! += t;
  }
  return m;
}

/**
 * Bilinear upsampling by `kernelSize` with half-pixel centres: Keras UpSampling2D(interpolation="bilinear"), and
 * PyTorch's Upsample(mode="bilinear", align_corners=False). Computed as two matrix products (rows, then columns)
 * instead of tf.image.resizeBilinear, whose gradient in tfjs 4.22 swaps height and width on a non-square input;
 * matMul, transpose and reshape differentiate everywhere and are kernels every backend of the sampler has.
 */
export const bilinearUpsample: LayerKernel = {
  kind: 'bilinear-upsample',
  parameters: () => [],
  outputShape: upsampledShape,
  apply(x, spec) {
    const f = windowOf(spec);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    return tf.tidy(() => {
      const rows = tf.tensor3d(interpolationMatrix(h, f), [1, h * f, h]);
      const columns = tf.tensor3d(interpolationMatrix(w, f), [1, w * f, w]);
      // rows: [1, hf, h] · [n, h, w·c] → [n, hf, w·c]
      const tall = tf.matMul(tf.tile(rows, [n, 1, 1]), tf.reshape(x, [n, h, w * c]));
      // columns: [n·hf, c, w] · [w, wf] → [n·hf, c, wf], then back to NHWC
      const byColumn = tf.reshape(tf.transpose(tf.reshape(tall, [n, h * f, w, c]), [0, 1, 3, 2]), [n * h * f, c, w]);
      const wide = tf.matMul(byColumn, tf.tile(columns, [n * h * f, 1, 1]), false, true);
      return tf.transpose(tf.reshape(wide, [n, h * f, c, w * f]), [0, 1, 3, 2]);
    });
  },
};
