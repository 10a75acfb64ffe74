import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { expectRank, positiveInt } from '../spec-defaults.js';

/**
 * Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for
 * Training GANs", §3.2): project each example with T to `units` rows of
 * `kernelSize` values, M_i; o_b(x_i) = Σ_j exp(−‖M_i,b − M_j,b‖₁); append
 * the `units` values o(x_i) to the features, so the discriminator sees how
 * alike the examples of a batch are and the generator is punished for
 * collapsing. T [in, units·kernelSize], initialised N(0, 0.05) as in the
 * paper's code.
 */
export const minibatchDiscrimination: LayerKernel = {
  kind: 'minibatch-discrimination',
  parameters(spec, inputShape) {
    expectRank(spec, inputShape, 1, 'a flat input (add a flatten layer before it)');
    const b = positiveInt(spec, 'units', 'the number of kernels B');
    const c = positiveInt(spec, 'kernelSize', 'the kernel dimension C');
    return [{ param: 'kernel', shape: [inputShape[0]!, b * c], init: { kind: 'normal', std: 0.05 }, trainable: true }];
  },
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 1, 'a flat input (add a flatten layer before it)');
    return [inputShape[0]! + positiveInt(spec, 'units', 'the number of kernels B')];
  },
  apply(x, spec, params) {
    const b = positiveInt(spec, 'units', 'the number of kernels B');
    const c = positiveInt(spec, 'kernelSize', 'the kernel dimension C');
    const n = x.shape[0]!;
    const m = tf.reshape(tf.matMul(x as tf.Tensor2D, params['kernel']! as tf.Tensor2D), [n, 1, b, c]);
    const distances = tf.sum(tf.abs(tf.sub(m, tf.transpose(m, [1, 0, 2, 3]))), 3); // [n, n, b]
    const o = tf.sum(tf.exp(tf.neg(distances)), 1); // [n, b]
    return tf.concat([x, o], 1);
  },
};
