import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';
import { expectRank, windowOf } from '../spec-defaults.js';

/**
 * PixelShuffle (Shi et al. 2016, "sub-pixel convolution"): [h, w, c·f²] → [h·f, w·f, c], each pixel's f² groups of
 * c channels laid out as an f×f block; TensorFlow's depth_to_space (NHWC) with block size f = `kernelSize`.
 */
export const pixelShuffle: LayerKernel = {
  kind: 'pixel-shuffle',
  parameters: () => [],
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const f = windowOf(spec);
    const channels = inputShape[2]!;
    if (channels % (f * f) !== 0) {
      throw new ModelError('bad-spec', `layer "${spec.name}" (pixel-shuffle) with block ${f} needs channels divisible by ${f * f}, got ${channels}`, { where: spec.name });
    }
    return [inputShape[0]! * f, inputShape[1]! * f, channels / (f * f)];
  },
  apply(x, spec) {
    return depthToSpace(x as tf.Tensor4D, windowOf(spec));
  },
};

/**
 * TensorFlow's depth_to_space (NHWC), block f: out[n, y·f + i, x·f + j, c] = in[n, y, x, (i·f + j)·C + c]. A reshape
 * and a transpose rather than tf.depthToSpace: tfjs has no gradient for DepthToSpace, and these two kernels are
 * already in every backend the sampler registers.
 */
export function depthToSpace(x: tf.Tensor4D, f: number): tf.Tensor4D {
  const [n, h, w, depth] = x.shape;
  const c = depth / (f * f);
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [n, h, w, f, f, c]), [0, 1, 3, 2, 4, 5]), [n, h * f, w * f, c]));
}
