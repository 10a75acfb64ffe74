import * as tf from '@tensorflow/tfjs-core';
import type { LayerSpec } from '@forger/core';
import type { LayerContext, LayerKernel, ParameterSpec } from '../layer.js';
import { applyActivation } from '../activations.js';
import { fusedActivationOf, multiplyWithBias } from '../fused-ops.js';
import { activationOf, expectRank, hasBias, leakySlopeOf, positiveInt } from '../spec-defaults.js';

/** Keeps a unit whose pre-activations are all equal (or whose kernel column is zero) finite. */
const TINY = 1e-12;

/**
 * y = act(x·kernel + bias); kernel [in, units], bias [units].
 *
 * With `weightNorm` (Salimans & Kingma 2016) the effective kernel is
 * kernel · scale / ‖kernel‖ per unit, with one more parameter `scale`
 * [units]: the kernel only sets each unit's direction. The scale multiplies
 * the [batch, units] product rather than the [in, units] kernel (the same
 * result, less work when batch < in). 'fixed-scale' layers (improved-GAN's
 * MNIST discriminator) train only direction and bias after the scale was set
 * from data by `initializeFromData`.
 */
export const dense: LayerKernel = {
  kind: 'dense',
  parameters(spec, inputShape) {
    expectRank(spec, inputShape, 1, 'a flat input (add a flatten layer before it)');
    const fanIn = inputShape[0]!;
    const units = positiveInt(spec, 'units', 'the number of units');
    const params: ParameterSpec[] = [{ param: 'kernel', shape: [fanIn, units], init: { kind: 'glorot-uniform', fanIn, fanOut: units }, trainable: true }];
    if (spec.weightNorm) params.push({ param: 'scale', shape: [units], init: { kind: 'ones' }, trainable: spec.weightNorm === 'trained-scale' });
    return hasBias(spec) ? [...params, { param: 'bias', shape: [units], init: { kind: 'zeros' }, trainable: true }] : params;
  },
  outputShape(spec) {
    return [positiveInt(spec, 'units', 'the number of units')];
  },
  apply(x, spec, params) {
    const activation = activationOf(spec);
    const fused = fusedActivationOf(activation, leakySlopeOf(spec));
    if (!spec.weightNorm && fused) {
      // One kernel for product, bias and activation: on a GPU each kernel is a dispatch (issue 7).
      return multiplyWithBias(x as tf.Tensor2D, params['kernel']! as tf.Tensor2D, params['bias'], fused);
    }
    let y = linear(x, spec, params);
    if (params['bias']) y = tf.add(y, params['bias']);
    return applyActivation(y, activation, leakySlopeOf(spec), spec.name);
  },
  initializeFromData(x, spec, params, _ctx: LayerContext) {
    if (!spec.weightNorm) return undefined;
    // Data-dependent initialisation (Salimans & Kingma 2016 §3; improved-GAN's nn.DenseLayer with init=True):
    // choose scale and bias so that this batch's pre-activations have zero mean and unit variance per unit.
    const t = linear(x, spec, params);
    const { mean, variance } = tf.moments(t, 0);
    const std = tf.sqrt(tf.add(variance, TINY));
    params['scale']!.assign(tf.div(params['scale']!, std));
    if (params['bias']) params['bias'].assign(tf.neg(tf.div(mean, std)));
    const normalised = params['bias'] ? tf.div(tf.sub(t, mean), std) : tf.div(t, std);
    return applyActivation(normalised, activationOf(spec), leakySlopeOf(spec), spec.name);
  },
};

/** x·kernel, weight-normalised when the spec says so. */
function linear(x: tf.Tensor, spec: LayerSpec, params: Record<string, tf.Variable>): tf.Tensor {
  const kernel = params['kernel']! as tf.Tensor2D;
  const product = tf.matMul(x as tf.Tensor2D, kernel);
  if (!spec.weightNorm) return product;
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(kernel), 0), TINY));
  return tf.mul(product, tf.div(params['scale']!, norm));
}
