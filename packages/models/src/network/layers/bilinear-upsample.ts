import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { expectRank } from '../spec-defaults.js';

function factorOf(kernelSize: number | undefined): number {
  return kernelSize !== undefined && kernelSize > 0 ? kernelSize : 2;
}

/**
 * Bilinear upsampling by `kernelSize` with half-pixel centres: Keras UpSampling2D(interpolation="bilinear"), and
 * PyTorch's Upsample(mode="bilinear", align_corners=False).
 */
export const bilinearUpsample: LayerKernel = {
  kind: 'bilinear-upsample',
  parameters: () => [],
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const f = factorOf(spec.kernelSize);
    return [inputShape[0]! * f, inputShape[1]! * f, inputShape[2]!];
  },
  apply(x, spec) {
    const f = factorOf(spec.kernelSize);
    const x4 = x as tf.Tensor4D;
    return tf.image.resizeBilinear(x4, [x4.shape[1] * f, x4.shape[2] * f], false, true);
  },
};
