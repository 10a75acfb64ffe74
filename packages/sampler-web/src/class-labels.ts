import type { ModelSpec } from '@forger/core';
import { describeClasses, isConditional } from '@forger/models';
import { SamplerError } from './sampler-error.js';

/** The class options of sample() and rank(). */
export interface ClassChoice {
  /** Conditional models: every image of this class (an index into `info.classNames`). */
  classLabel?: number;
  /** Conditional models: the class of each image, one per image. */
  labels?: ArrayLike<number>;
}

/**
 * The class of each of `count` images, for a conditional (acgan) model: `classLabel` for all, `labels` one each, or
 * by default image i as class i mod K. Undefined for an unconditional model, which refuses any class with a
 * SamplerError 'not-conditional' rather than drawing an image the caller did not ask for.
 */
export function resolveClassLabels(spec: ModelSpec, choice: ClassChoice, count: number): Int32Array | undefined {
  const { classLabel, labels } = choice;
  if (!isConditional(spec)) {
    if (classLabel === undefined && labels === undefined) return undefined;
    const what = classLabel !== undefined ? 'classLabel' : 'labels';
    throw new SamplerError(
      'not-conditional',
      `this ${spec.family} generator is unconditional: it draws no given class, so ${what} cannot apply` +
        (spec.numClasses > 0 ? ` (its ${spec.numClasses} classes belong to the discriminator)` : ''),
      { where: what },
    );
  }
  if (classLabel !== undefined && labels !== undefined) {
    throw new SamplerError('invalid-argument', 'give classLabel (one class for every image) or labels (one per image), not both', { where: 'labels' });
  }
  const check = (label: number, where: string): number => {
    if (!Number.isInteger(label) || label < 0 || label >= spec.numClasses) {
      throw new SamplerError('invalid-argument', `class ${String(label)} is not one of the model's classes ${describeClasses(spec)}`, { where });
    }
    return label;
  };
  if (classLabel !== undefined) return new Int32Array(count).fill(check(classLabel, 'classLabel'));
  if (labels !== undefined) {
    if (labels.length !== count) throw new SamplerError('invalid-argument', `${labels.length} labels for ${count} images: give one per image`, { where: 'labels' });
    return Int32Array.from({ length: count }, (_, i) => check(labels[i]!, `labels[${i}]`));
  }
  return Int32Array.from({ length: count }, (_, i) => i % spec.numClasses);
}
