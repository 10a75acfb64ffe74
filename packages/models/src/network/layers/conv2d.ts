import * as tf from '@tensorflow/tfjs-core';
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
    const s = stridesOf(spec);
    const activation = activationOf(spec);
    // One kernel for convolution, bias and activation where the backend can: on a GPU each kernel is a dispatch (issue 7).
    const fused = fusedActivationOf(activation, leakySlopeOf(spec));
    const y = convolveWithBias(x as tf.Tensor4D, params['kernel']! as tf.Tensor4D, params['bias'], s, paddingOf(spec), fused ?? { kind: 'linear' });
    return fused ? y : applyActivation(y, activation, leakySlopeOf(spec), spec.name);
  },
};
