import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { thrown } from './test-support/thrown.js';
import { classHistogram } from './dataset.js';
import { classQuotas, labeledSubset } from './labeled-subset.js';
import { syntheticDataset } from './test-support/synthetic.js';

const ds = syntheticDataset(1000);

describe('labeledSubset', () => {
  it('takes labeledCount examples, the same number from each class', () => {
    const { labeled } = labeledSubset(ds, { labeledCount: 100, seed: 1 });
    expect(labeled.length).toBe(100);
    expect(classHistogram(ds, labeled)).toEqual(new Array(10).fill(10));
  });

  it('gives the remainder one each to the lowest-numbered classes', () => {
    expect(classQuotas(25, 10)).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    const { labeled } = labeledSubset(ds, { labeledCount: 25, seed: 1 });
    expect(classHistogram(ds, labeled)).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
  });

  it('labeled, unlabeled and validation are disjoint and together cover the dataset', () => {
    const { labeled, unlabeled, validation } = labeledSubset(ds, { labeledCount: 50, seed: 3, validationCount: 200 });
    expect([labeled.length, unlabeled.length, validation.length]).toEqual([50, 750, 200]);
    const all = [...labeled, ...unlabeled, ...validation];
    expect(new Set(all).size).toBe(1000);
    expect(Math.max(...all)).toBe(999);
  });

  it('is chosen by the seed: same seed same sets, another seed other sets', () => {
    const a = labeledSubset(ds, { labeledCount: 40, seed: 11, validationCount: 100 });
    const b = labeledSubset(ds, { labeledCount: 40, seed: 11, validationCount: 100 });
    const c = labeledSubset(ds, { labeledCount: 40, seed: 12, validationCount: 100 });
    expect(a).toEqual(b);
    expect(a.labeled).not.toEqual(c.labeled);
    expect(a.validation).not.toEqual(c.validation);
  });

  it('the validation set does not move when labeledCount changes', () => {
    const few = labeledSubset(ds, { labeledCount: 10, seed: 5, validationCount: 100 });
    const many = labeledSubset(ds, { labeledCount: 300, seed: 5, validationCount: 100 });
    expect(few.validation).toEqual(many.validation);
  });

  it('chooses within given indices only', () => {
    const pool = Uint32Array.from({ length: 500 }, (_, i) => i + 250);
    const { labeled, unlabeled, validation } = labeledSubset(ds, { labeledCount: 20, seed: 1, validationCount: 30, indices: pool });
    const all = [...labeled, ...unlabeled, ...validation];
    expect(all.length).toBe(500);
    expect(Math.min(...all)).toBe(250);
    expect(Math.max(...all)).toBe(749);
  });

  it('names the class that has too few examples', () => {
    const evenIndices = Uint32Array.from({ length: 500 }, (_, i) => i * 2); // classes 0, 2, 4, 6, 8 only
    const error = thrown(() => labeledSubset(ds, { labeledCount: 10, seed: 1, indices: evenIndices }));
    expect(error.code).toBe('bad-option');
    expect(error.message).toContain('class 1 ("class-1")');
  });

  it('refuses more labeled + validation examples than there are', () => {
    expect(() => labeledSubset(ds, { labeledCount: 900, seed: 1, validationCount: 101 })).toThrow(DataError);
    expect(() => labeledSubset(ds, { labeledCount: -1, seed: 1 })).toThrow(/labeledCount/);
  });
});
