import * as tf from '@tensorflow/tfjs-core';
import type { LayerSpec } from '@forger/core';
import type { LayerKernel } from '../layer.js';
import { applyActivation } from '../activations.js';
import { convolveWithBias, fusedActivationOf } from '../fused-ops.js';
import { activationOf, convOutputSize, expectRank, hasBias, leakySlopeOf, paddingOf, positiveInt, stridesOf } from '../spec-defaults.js';

/** NHWC convolution; kernel [k, k, in, filters], bias [filters]. */
export const conv2d: LayerKernel = {
  kind: 'conv2d',
  parameters(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const k = positiveInt(spec, 'kernelSize', 'the kernel size');
    const filters = positiveInt(spec, 'units', 'the number of filters');
    const channels = inputShape[2]!;
    // Keras glorot_uniform for convolutions: fans scale with the receptive field.
    const init = { kind: 'glorot-uniform', fanIn: k * k * channels, fanOut: k * k * filters } as const;
    const params = [{ param: 'kernel', shape: [k, k, channels, filters], init, trainable: true }];
    return hasBias(spec) ? [...params, { param: 'bias', shape: [filters], init: { kind: 'zeros' } as const, trainable: true }] : params;
  },
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const k = positiveInt(spec, 'kernelSize', 'the kernel size');
    const s = stridesOf(spec);
    const p = paddingOf(spec);
    return [convOutputSize(inputShape[0]!, k, s, p), convOutputSize(inputShape[1]!, k, s, p), positiveInt(spec, 'units', 'the number of filters')];
  },
  apply(x, spec, params) {
    return convolveLayer(x as tf.Tensor4D, spec, params['kernel']! as tf.Tensor4D, params['bias'], stridesOf(spec), paddingOf(spec));
  },
};

/**
 * A conv2d layer's convolution, bias and activation, with the filter and bias given: the layer's own, or the
 * sub-pixel form that an upsample in front of it folds into (subpixel-fold.ts).
 */
export function convolveLayer(x: tf.Tensor4D, spec: LayerSpec, filter: tf.Tensor4D, bias: tf.Tensor | undefined, strides: number, padding: 'same' | 'valid'): tf.Tensor4D {
  const activation = activationOf(spec);
  // One kernel for convolution, bias and activation where the backend can: on a GPU each kernel is a dispatch (issue 7).
  const fused = fusedActivationOf(activation, leakySlopeOf(spec));
  const y = convolveWithBias(x, filter, bias, strides, padding, fused ?? { kind: 'linear' });
  return fused ? y : (applyActivation(y, activation, leakySlopeOf(spec), spec.name) as tf.Tensor4D);
}
