import type { LayerKernel } from '../layer.js';
import { applyActivation } from '../activations.js';
import { activationOf, leakySlopeOf } from '../spec-defaults.js';

/** A standalone activation (Keras `Activation`, or `LeakyReLU` with `rate` as its slope). */
export const activation: LayerKernel = {
  kind: 'activation',
  parameters: () => [],
  outputShape: (_spec, inputShape) => inputShape,
  apply: (x, spec) => applyActivation(x, activationOf(spec), leakySlopeOf(spec), spec.name),
};
