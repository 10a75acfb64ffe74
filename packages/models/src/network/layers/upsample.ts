import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { upsampledShape, windowOf } from '../spec-defaults.js';

/** Nearest-neighbour upsampling by `kernelSize` (Keras UpSampling2D: every pixel repeated). */
export const upsample: LayerKernel = {
  kind: 'upsample',
  parameters: () => [],
  outputShape: upsampledShape,
  apply(x, spec) {
    const f = windowOf(spec);
    const x4 = x as tf.Tensor4D;
    return tf.image.resizeNearestNeighbor(x4, [x4.shape[1] * f, x4.shape[2] * f]);
  },
};
