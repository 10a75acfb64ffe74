import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';

/** [n, ...] → [n, product(...)]. */
export const flatten: LayerKernel = {
  kind: 'flatten',
  parameters: () => [],
  outputShape: (_spec, inputShape) => [inputShape.reduce((a, b) => a * b, 1)],
  apply: (x) => tf.reshape(x, [x.shape[0]!, -1]),
};
