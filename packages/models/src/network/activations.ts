import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '@forger/core';
import { ModelError } from '../errors.js';
import { activateWithOutputGradient } from './activation-gradient.js';

/** The elementwise activations a spec may name; `slope` is leaky ReLU's negative slope. */
export function applyActivation(x: tf.Tensor, activation: Activation, slope: number, where: string): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return activateWithOutputGradient(x, { kind: 'relu' });
    case 'leaky_relu':
      return slope > 0 ? activateWithOutputGradient(x, { kind: 'leakyrelu', slope }) : tf.leakyRelu(x, slope);
    case 'tanh':
      return activateWithOutputGradient(x, { kind: 'tanh' });
    case 'sigmoid':
      return activateWithOutputGradient(x, { kind: 'sigmoid' });
    case 'softplus':
      return tf.softplus(x);
    default:
      throw new ModelError('bad-spec', `layer "${where}" names an unknown activation "${String(activation)}"; expected linear, relu, leaky_relu, tanh, sigmoid or softplus`, { where });
  }
}
