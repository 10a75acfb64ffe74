import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { expectRank } from '../spec-defaults.js';

/** Mean over the spatial axes: [n, h, w, c] → [n, c]. */
export const globalAveragePool: LayerKernel = {
  kind: 'global-average-pool',
  parameters: () => [],
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    return [inputShape[2]!];
  },
  apply: (x) => tf.mean(x, [1, 2]),
};
