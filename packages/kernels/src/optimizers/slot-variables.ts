import * as tf from '@tensorflow/tfjs-core';
import { KernelError } from '../backend/kernel-error.js';

/** tfjs-core's `NamedTensor` ({ name, tensor }), which its entry point does not export. */
export type NamedTensor = Extract<Parameters<tf.Optimizer['applyGradients']>[0], unknown[]>[number];

/** An optimizer's per-variable state, named as tfjs-core names it (`<variable>/<slot>`). */
export interface SlotVariable {
  originalName: string;
  variable: tf.Variable;
}

/** A non-trainable zero slot shaped like `variable`, created on the first update as tfjs-core does. */
export function zeroSlot(variable: tf.Variable, originalName: string): SlotVariable {
  return { originalName, variable: tf.tidy(() => tf.zerosLike(variable).variable(false)) };
}

/** The (name, variable, gradient) triples of an applyGradients call, in its order (the slots' order). */
export function gradientList(variableGradients: tf.NamedTensorMap | NamedTensor[]): Array<{ name: string; variable: tf.Variable; gradient: tf.Tensor | undefined }> {
  const entries = Array.isArray(variableGradients)
    ? variableGradients.map((g) => [g.name, g.tensor as tf.Tensor | undefined] as const)
    : Object.entries(variableGradients).map(([name, t]) => [name, t as tf.Tensor | undefined] as const);
  return entries.map(([name, gradient]) => {
    const variable = tf.engine().registeredVariables[name];
    if (variable === undefined) throw new KernelError('bad-input', `applyGradients: a gradient names "${name}", but no tf.Variable is registered under that name (disposed?)`, { where: name });
    return { name, variable, gradient: gradient ?? undefined };
  });
}
