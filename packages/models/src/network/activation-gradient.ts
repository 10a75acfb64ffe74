import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from './custom-gradient.js';
import { ACTIVATION_GRAD_KERNEL, hasForgerKernel } from './forger-kernels.js';

/** The activations whose gradient ACTIVATION_GRAD_KERNEL computes from the output alone. */
export type OutputDifferentiable = { kind: 'tanh' } | { kind: 'sigmoid' } | { kind: 'relu' } | { kind: 'leakyrelu'; slope: number };

/**
 * dy through an activation, from its output y: one kernel where the backend registers ACTIVATION_GRAD_KERNEL,
 * else tfjs-core's ops (tanh 3 kernels, sigmoid 3, relu 2, leaky ReLU 3). Leaky ReLU needs a positive slope
 * (then y > 0 exactly where x > 0).
 */
export function activationGradient(dy: tf.Tensor, y: tf.Tensor, activation: OutputDifferentiable): tf.Tensor {
  const slope = activation.kind === 'leakyrelu' ? activation.slope : 0;
  if (hasForgerKernel(ACTIVATION_GRAD_KERNEL)) {
    return tf.engine().runKernel(ACTIVATION_GRAD_KERNEL, { dy, y }, { activation: activation.kind, alpha: slope }) as tf.Tensor;
  }
  switch (activation.kind) {
    case 'tanh': return tf.mul(tf.sub(1, tf.square(y)), dy);
    case 'sigmoid': return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'relu': return tf.mul(dy, tf.step(y));
    case 'leakyrelu': return tf.where(tf.greater(y, 0), dy, tf.mul(dy, slope));
  }
}

function forwardOf(x: tf.Tensor, activation: OutputDifferentiable): tf.Tensor {
  switch (activation.kind) {
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'relu': return tf.relu(x);
    case 'leakyrelu': return tf.leakyRelu(x, activation.slope);
  }
}

/**
 * The activation, differentiated from its output by activationGradient where the active backend has the
 * one-kernel form (tfjs-core's own gradients otherwise: they are the same values in more kernels).
 */
export function activateWithOutputGradient(x: tf.Tensor, activation: OutputDifferentiable): tf.Tensor {
  if (!hasForgerKernel(ACTIVATION_GRAD_KERNEL)) return forwardOf(x, activation);
  return withGradient(([xIn], save) => {
    const y = forwardOf(xIn!, activation);
    save([y]);
    return { value: y, gradFunc: (dy, [saved]) => activationGradient(dy, saved!, activation) };
  })(x);
}
