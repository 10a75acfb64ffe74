import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from './custom-gradient.js';
import { hasForgerKernel, TANH_GRAD_KERNEL } from './forger-kernels.js';

/** tanh whose gradient is one kernel (TANH_GRAD_KERNEL) instead of tfjs-core's Square, Sub, Multiply. */
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
  return hasForgerKernel(TANH_GRAD_KERNEL) ? tanhWithOneKernelGradient(x) : tf.tanh(x);
}
