import * as tf from '@tensorflow/tfjs-core';

/** A forward pass and its hand-written backward pass, as tf.customGrad takes them, with typed inputs. */
export type ForwardWithGradient = (
  inputs: tf.Tensor[],
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/**
 * tf.customGrad, whose typing mixes the inputs and the save function in one rest parameter. Forger writes
 * gradients by hand where tfjs would differentiate a formula kernel by kernel: on a GPU each kernel is a
 * dispatch (issue 7). The gradient function returns one gradient per input, in order.
 */
export function withGradient(f: ForwardWithGradient): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => f(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as tf.GradSaveFunc));
}
