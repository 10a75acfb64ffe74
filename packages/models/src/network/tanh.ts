import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from './custom-gradient.js';

/**
 * The kernel dy·(1 − y²), tanh's gradient from its output, that a backend may register under this name
 * (@forger/trainer-node does for webgpu, wasm and cpu). tfjs-core differentiates tanh with three kernels
 * (Square, Sub, Multiply); on a GPU each is a dispatch, and keras-dcgan has seven tanh layers (issue 7).
 * Inputs `dy` and `y`, same shape; output that shape.
 */
export const TANH_GRAD_KERNEL = 'ForgerTanhGrad';

const tanhWithOneKernelGradient = withGradient(([x], save) => {
  const y = tf.tanh(x!);
  save([y]);
  return {
    value: y,
    gradFunc: (dy, [saved]) => tf.engine().runKernel(TANH_GRAD_KERNEL, { dy, y: saved! }) as tf.Tensor,
  };
});

/** tanh, differentiated by one kernel where the active backend has TANH_GRAD_KERNEL, else by tfjs-core's. */
export function tanh(x: tf.Tensor): tf.Tensor {
  return tf.getKernel(TANH_GRAD_KERNEL, tf.getBackend()) !== undefined ? tanhWithOneKernelGradient(x) : tf.tanh(x);
}
