import { describe, expect, it } from 'vitest';
import { ClassAccuracyAccumulator } from './class-accuracy.js';
import { ScoreError } from './score-error.js';

describe('ClassAccuracyAccumulator', () => {
  it('counts per requested class how often the most probable class is the requested one, over batches', () => {
    const a = new ClassAccuracyAccumulator(3);
    // asked 0, 0, 1: the classifier says 0, 2, 1
    a.add([0.8, 0.1, 0.1, 0.2, 0.3, 0.5, 0.1, 0.7, 0.2], [0, 0, 1], 3);
    // asked 2, 1: it says 2, 0
    a.add([0, 0.4, 0.6, 0.5, 0.4, 0.1], Int32Array.from([2, 1]), 2);
    const r = a.result();
    expect(r.overall).toBeCloseTo(3 / 5, 12);
    expect(r.perClass).toEqual([0.5, 0.5, 1]);
    expect(r.requested).toEqual([2, 2, 1]);
  });

  it('gives NaN for a class never requested, and refuses labels the classifier does not know', () => {
    const a = new ClassAccuracyAccumulator(3);
    a.add([1, 0, 0], [0], 1);
    expect(a.result().perClass[2]).toBeNaN();
    expect(() => a.add([1, 0, 0], [3], 1)).toThrow(ScoreError);
    expect(() => a.add([1, 0, 0], [0, 1], 1)).toThrow(/1 images need 1 requested classes, got 2/);
    expect(() => new ClassAccuracyAccumulator(3).result()).toThrow(/no images with a requested class/);
  });
});
