import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';

/** Whether the spec's generator draws a given class: it then reads z followed by the one-hot class. */
export function isConditional(spec: ModelSpec): boolean {
  return spec.family === 'acgan';
}

/** The classes a conditional model knows, for messages: "0 (zero), 1 (one), 2 (two)" or "0–9". */
export function describeClasses(spec: ModelSpec): string {
  if (spec.classNames.length === 0 || spec.classNames.every((name, i) => name === String(i))) return `0–${spec.numClasses - 1}`;
  return spec.classNames.map((name, i) => `${i} (${name})`).join(', ');
}

/**
 * Throws ModelError 'bad-input' unless `labels` are class indices of the spec's conditional generator, or, for an
 * unconditional spec, unless there are none: a class must never be accepted and ignored.
 */
export function checkClassLabels(spec: ModelSpec, labels: ArrayLike<number> | undefined, count: number, where = 'labels'): void {
  if (labels === undefined) return;
  if (!isConditional(spec)) {
    throw new ModelError('bad-input', `this ${spec.family} generator is unconditional: it draws no given class`, { where });
  }
  if (labels.length !== count) {
    throw new ModelError('bad-input', `${labels.length} class labels for ${count} images: give one per image`, { where });
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= spec.numClasses) {
      throw new ModelError('bad-input', `class ${String(label)} (image ${i + 1}) is not one of the model's classes ${describeClasses(spec)}`, { where });
    }
  }
}

/** The classes drawn when a conditional generator is not told any: image i gets class i mod K (every class shown). */
export function cyclingLabels(spec: ModelSpec, count: number, start = 0): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => (start + i) % spec.numClasses);
}

/**
 * What the generator reads: z itself for an unconditional spec, [z ; one-hot(label)] for a conditional one
 * (Mirza & Osindero 2014, the input of Odena et al. 2017's generator). `labels`: an int32 [batch] tensor (training),
 * or the classes as numbers (sampling), whose one-hot rows are then made on the host: the browser sampler registers
 * only the kernels inference needs, and OneHot is not one of them.
 */
export function generatorInput(spec: ModelSpec, z: tf.Tensor, labels: tf.Tensor | ArrayLike<number> | undefined): tf.Tensor2D {
  if (!isConditional(spec)) return z as tf.Tensor2D;
  if (!labels) throw new ModelError('bad-input', `the ${spec.family} generator needs a class per latent vector`, { where: 'labels' });
  return tf.tidy(() => {
    const oneHot = labels instanceof tf.Tensor ? tf.cast(tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, spec.numClasses), 'float32') : oneHotRows(labels, spec.numClasses);
    return tf.concat([z, oneHot], 1) as tf.Tensor2D;
  });
}

function oneHotRows(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  const rows = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) rows[i * classes + labels[i]!] = 1;
  return tf.tensor2d(rows, [labels.length, classes]);
}
