import { Rng } from '@forger/core';
import { DataError } from './data-error.js';
import type { Dataset } from './dataset.js';
import { allIndices, checkIndices, datasetLabel } from './dataset.js';

export interface LabeledSubsetOptions {
  /** Examples whose labels the model may see, spread evenly over the classes. */
  labeledCount: number;
  seed: number;
  /** Examples held out for validation: never labeled, never unlabeled, never trained on. Default 0. */
  validationCount?: number;
  /** Choose from these examples only. Default: the whole dataset. */
  indices?: Uint32Array;
}

/** Three disjoint sets of dataset indices, each sorted ascending. */
export interface LabeledSubset {
  labeled: Uint32Array;
  unlabeled: Uint32Array;
  validation: Uint32Array;
}

/**
 * Splits a dataset for semi-supervised training (Salimans et al. 2016, "Improved
 * Techniques for Training GANs": 100 labeled MNIST digits, 10 per class).
 * Each class gets ⌊labeledCount / numClasses⌋ labeled examples and the
 * remainder goes one each to the lowest-numbered classes, so 25 labels over 10
 * classes is 3,3,3,3,3,2,2,2,2,2. Which examples is decided by the seed alone.
 */
export function labeledSubset(ds: Dataset, opts: LabeledSubsetOptions): LabeledSubset {
  const { labeledCount, seed } = opts;
  const validationCount = opts.validationCount ?? 0;
  const pool = opts.indices ?? allIndices(ds.count);
  const where = datasetLabel(ds);
  if (opts.indices !== undefined) checkIndices(ds, opts.indices);
  for (const [name, value] of [
    ['labeledCount', labeledCount],
    ['validationCount', validationCount],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DataError('bad-option', `${name} must be a non-negative integer`, {
        dataset: where,
        expected: `${name} ≥ 0`,
        found: String(value),
      });
    }
  }
  if (!Number.isSafeInteger(seed)) {
    throw new DataError('bad-option', 'the seed must be a safe integer', { dataset: where, expected: 'an integer seed', found: String(seed) });
  }
  if (labeledCount + validationCount > pool.length) {
    throw new DataError('bad-option', 'not enough examples for the labeled and validation sets', {
      dataset: where,
      expected: `at least ${labeledCount + validationCount} examples (${labeledCount} labeled + ${validationCount} validation)`,
      found: `${pool.length} examples`,
    });
  }
  if (labeledCount > 0 && ds.numClasses === 0) {
    throw new DataError('bad-option', 'a dataset without classes cannot have labeled examples', {
      dataset: where,
      expected: 'numClasses ≥ 1',
      found: '0',
    });
  }

  const shuffled = Uint32Array.from(pool);
  Rng.fromSeed(seed).derive('labeled-subset').shuffle(shuffled);
  // Validation first, from the whole pool, so that it is a plain random sample
  // and changing labeledCount does not change which examples are held out.
  const validation = shuffled.slice(0, validationCount);

  const quota = classQuotas(labeledCount, ds.numClasses);
  const taken = new Array<number>(ds.numClasses).fill(0);
  const labeled = new Uint32Array(labeledCount);
  const unlabeled = new Uint32Array(pool.length - validationCount - labeledCount);
  let labeledSoFar = 0;
  let unlabeledSoFar = 0;
  for (let i = validationCount; i < shuffled.length; i++) {
    const example = shuffled[i]!;
    const label = ds.labels[example]!;
    if (label < ds.numClasses && taken[label]! < quota[label]!) {
      taken[label] = taken[label]! + 1;
      labeled[labeledSoFar++] = example;
    } else if (unlabeledSoFar < unlabeled.length) {
      unlabeled[unlabeledSoFar++] = example;
    }
  }
  for (let c = 0; c < ds.numClasses; c++) {
    if (taken[c]! < quota[c]!) {
      throw new DataError('bad-option', `class ${c} ("${ds.classNames[c] ?? c}") has too few examples outside the validation set`, {
        dataset: where,
        expected: `${quota[c]} labeled examples of class ${c}`,
        found: `${taken[c]}`,
      });
    }
  }
  return { labeled: labeled.sort(), unlabeled: unlabeled.sort(), validation: validation.sort() };
}

/** Labeled examples per class: ⌊n/k⌋ each, plus one for the first n mod k classes. */
export function classQuotas(labeledCount: number, numClasses: number): number[] {
  if (numClasses === 0) return [];
  const base = Math.floor(labeledCount / numClasses);
  const remainder = labeledCount % numClasses;
  return Array.from({ length: numClasses }, (_, c) => base + (c < remainder ? 1 : 0));
}
