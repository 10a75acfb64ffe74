import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel } from '../layer.js';
import { ModelError } from '../../errors.js';

const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Reshape every example to `targetShape` (batch axis excluded). */
export const reshape: LayerKernel = {
  kind: 'reshape',
  parameters: () => [],
  outputShape(spec, inputShape) {
    const target = spec.targetShape ?? [];
    if (target.length === 0 || product(target) !== product(inputShape)) {
      throw new ModelError('bad-spec', `layer "${spec.name}" (reshape) cannot reshape [${inputShape.join(', ')}] (${product(inputShape)} values) to [${target.join(', ')}] (${product(target)} values)`, { where: spec.name }
      );
    }
    return [...target];
  },
  apply(x, spec) {
    return tf.reshape(x, [x.shape[0]!, ...(spec.targetShape ?? [])]);
  },
};
