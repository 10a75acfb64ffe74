import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { expectRank } from '../spec-defaults.js';

/** PyTorch InstanceNorm2d's ε (Ulyanov et al. 2016 give none). */
const DEFAULT_EPSILON = 1e-5;

/**
 * Instance normalisation (Ulyanov, Vedaldi & Lempitsky 2016): every example's every channel normalised by its own
 * mean and (biased) variance over the spatial axes, then γ·x̂ + β per channel. Unlike batch norm it never mixes
 * the images of a batch and has no moving statistics, so training and inference compute the same thing.
 */
export const instanceNorm: LayerKernel = {
  kind: 'instance-norm',
  parameters(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const c = [inputShape[2]!];
    return [
      { param: 'gamma', shape: c, init: { kind: 'ones' }, trainable: true },
      { param: 'beta', shape: c, init: { kind: 'zeros' }, trainable: true },
    ];
  },
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    return inputShape;
  },
  apply(x, spec, params) {
    const epsilon = spec.epsilon !== undefined && spec.epsilon > 0 ? spec.epsilon : DEFAULT_EPSILON;
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, [1, 2], true);
      // sqrt and div rather than rsqrt: the kernels the browser sampler registers already (batch norm's inference)
      const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
      return tf.add(tf.mul(normalised, params['gamma']!), params['beta']!);
    });
  },
};
