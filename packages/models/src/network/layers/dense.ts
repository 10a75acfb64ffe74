import * as tf from '@tensorflow/tfjs-core';
import type { LayerKernel, ParameterSpec } from '../layer.js';
import { applyActivation } from '../activations.js';
import { activationOf, expectRank, hasBias, leakySlopeOf, positiveInt } from '../spec-defaults.js';

/** y = act(x·kernel + bias); kernel [in, units], bias [units]. */
export const dense: LayerKernel = {
  kind: 'dense',
  parameters(spec, inputShape) {
    expectRank(spec, inputShape, 1, 'a flat input (add a flatten layer before it)');
    const fanIn = inputShape[0]!;
    const units = positiveInt(spec, 'units', 'the number of units');
    const params: ParameterSpec[] = [{ param: 'kernel', shape: [fanIn, units], init: { kind: 'glorot-uniform', fanIn, fanOut: units }, trainable: true }];
    return hasBias(spec) ? [...params, { param: 'bias', shape: [units], init: { kind: 'zeros' }, trainable: true }] : params;
  },
  outputShape(spec) {
    return [positiveInt(spec, 'units', 'the number of units')];
  },
  apply(x, spec, params) {
    let y = tf.matMul(x as tf.Tensor2D, params['kernel']! as tf.Tensor2D) as tf.Tensor;
    if (params['bias']) y = tf.add(y, params['bias']);
    return applyActivation(y, activationOf(spec), leakySlopeOf(spec), spec.name);
  },
};
