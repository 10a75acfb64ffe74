import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';
import { convOutputSize, expectRank, paddingOf, stridesOf, windowOf } from '../spec-defaults.js';

/**
 * Average pooling with window `kernelSize`; the stride defaults to the window, as in Keras AveragePooling2D. With
 * "same" padding a border window averages only the input values it covers (TensorFlow's avg_pool).
 */
export const averagePool: LayerKernel = {
  kind: 'average-pool',
  parameters: () => [],
  outputShape(spec, inputShape) {
    expectRank(spec, inputShape, 3, 'an image input [height, width, channels]');
    const k = windowOf(spec);
    const s = stridesOf(spec, k);
    const p = paddingOf(spec);
    const out = [convOutputSize(inputShape[0]!, k, s, p), convOutputSize(inputShape[1]!, k, s, p)];
    // tfjs 4.22's AvgPoolGrad divides a padded border window by the whole window, not by the values it covers (2× off
    // at a 2×2 corner): refuse a spec that pads rather than train it on a wrong gradient.
    if (p === 'same' && out.some((o, i) => (o - 1) * s + k > inputShape[i]!)) {
      throw new ModelError('bad-spec', `layer "${spec.name}" (average-pool) would pad its ${inputShape[0]}×${inputShape[1]} input ("same", window ${k}, stride ${s}), and tfjs's average-pool gradient is wrong at padded borders; give it an input the window tiles`, { where: spec.name });
    }
    return [out[0]!, out[1]!, inputShape[2]!];
  },
  apply(x, spec) {
    const k = windowOf(spec);
    const s = stridesOf(spec, k);
    return tf.avgPool(x as tf.Tensor4D, [k, k], [s, s], paddingOf(spec));
  },
};
