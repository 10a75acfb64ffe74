import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { applyActivation } from '../activations.js';
import { activationOf, expectRank, hasBias, leakySlopeOf, paddingOf, positiveInt, stridesOf } from '../spec-defaults.js';

function transposedSize(input: number, k: number, s: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? input * s : (input - 1) * s + k; // Keras Conv2DTranspose, no output_padding
}

/** NHWC transposed convolution; kernel [k, k, filters, in] (TensorFlow's layout), bias [filters]. */
export const conv2dTranspose: LayerKernel = {
  kind: 'conv2d-transpose',
  parameters(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const k = positiveInt(spec, 'kernelSize', 'the kernel size');
    const filters = positiveInt(spec, 'units', 'the number of filters');
    const channels = inputShape[2]!;
    const init = { kind: 'glorot-uniform', fanIn: k * k * channels, fanOut: k * k * filters } as const;
    const params = [{ param: 'kernel', shape: [k, k, filters, channels], init, trainable: true }];
    return hasBias(spec) ? [...params, { param: 'bias', shape: [filters], init: { kind: 'zeros' } as const, trainable: true }] : params;
  },
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const k = positiveInt(spec, 'kernelSize', 'the kernel size');
    const s = stridesOf(spec);
    const p = paddingOf(spec);
    return [transposedSize(inputShape[0]!, k, s, p), transposedSize(inputShape[1]!, k, s, p), positiveInt(spec, 'units', 'the number of filters')];
  },
  apply(x, spec, params) {
    const x4 = x as tf.Tensor4D;
    const [, h, w] = x4.shape;
    const [oh, ow, filters] = this.outputShape(spec, [h, w, x4.shape[3]]) as [number, number, number];
    const s = stridesOf(spec);
    let y: tf.Tensor = tf.conv2dTranspose(x4, params['kernel']! as tf.Tensor4D, [x4.shape[0], oh, ow, filters], [s, s], paddingOf(spec));
    if (params['bias']) y = tf.add(y, params['bias']);
    return applyActivation(y, activationOf(spec), leakySlopeOf(spec), spec.name);
  },
};
