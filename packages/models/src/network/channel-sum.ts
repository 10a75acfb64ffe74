import * as tf from '@tensorflow/tfjs-core';
import { CHANNEL_SUM_KERNEL, hasForgerKernel } from './forger-kernels.js';

/**
 * Σ over every axis but the last ([channels]): the gradient of a bias added to every row. One ForgerChannelSum
 * kernel where the active backend registers it, else tfjs-core's tf.sum (the same values). Not differentiable
 * itself: it only appears inside gradient functions.
 */
export function channelSum(x: tf.Tensor): tf.Tensor1D {
  if (hasForgerKernel(CHANNEL_SUM_KERNEL)) return tf.engine().runKernel(CHANNEL_SUM_KERNEL, { x }, {}) as tf.Tensor1D;
  return tf.sum(x, Array.from({ length: x.rank - 1 }, (_, i) => i)) as tf.Tensor1D;
}
