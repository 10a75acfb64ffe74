import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { epsilonOf, momentumOf } from '../spec-defaults.js';

/**
 * Batch normalisation over every axis but the last (Ioffe & Szegedy 2015), with
 * Keras semantics: training normalises by the batch's own (biased) mean and
 * variance and moves the moving statistics by
 * `moving = moving·momentum + batch·(1 − momentum)`; inference uses the moving
 * statistics.
 */
export const batchNorm: LayerKernel = {
  kind: 'batch-norm',
  parameters(_spec, inputShape) {
    const c = [inputShape[inputShape.length - 1]!];
    return [
      { param: 'gamma', shape: c, init: { kind: 'ones' }, trainable: true },
      { param: 'beta', shape: c, init: { kind: 'zeros' }, trainable: true },
      { param: 'moving_mean', shape: c, init: { kind: 'zeros' }, trainable: false },
      { param: 'moving_variance', shape: c, init: { kind: 'ones' }, trainable: false },
    ];
  },
  outputShape(_spec, inputShape) {
    return inputShape;
  },
  apply(x, spec, params, ctx) {
    const gamma = params['gamma']!;
    const beta = params['beta']!;
    const movingMean = params['moving_mean']!;
    const movingVariance = params['moving_variance']!;
    const epsilon = epsilonOf(spec);
    if (!ctx.training) {
      return tf.add(tf.mul(tf.div(tf.sub(x, movingMean), tf.sqrt(tf.add(movingVariance, epsilon))), gamma), beta);
    }
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    if (ctx.updateStatistics) {
      const momentum = momentumOf(spec);
      // The moving statistics are state, not part of the loss: `assign` is not
      // recorded on the gradient tape, so no gradient flows through them.
      movingMean.assign(tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)));
      movingVariance.assign(tf.add(tf.mul(movingVariance, momentum), tf.mul(variance, 1 - momentum)));
    }
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
  },
};
