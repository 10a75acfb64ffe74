import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { convOutputSize, expectRank, paddingOf, stridesOf, windowOf } from '../spec-defaults.js';

/** Max pooling with window `kernelSize`; the stride defaults to the window, as in Keras. */
export const maxPool: LayerKernel = {
  kind: 'max-pool',
  parameters: () => [],
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const k = windowOf(spec);
    const s = stridesOf(spec, k);
    const p = paddingOf(spec);
    return [convOutputSize(inputShape[0]!, k, s, p), convOutputSize(inputShape[1]!, k, s, p), inputShape[2]!];
  },
  apply(x, spec) {
    const k = windowOf(spec);
    const s = stridesOf(spec, k);
    return tf.maxPool(x as tf.Tensor4D, [k, k], [s, s], paddingOf(spec));
  },
};
