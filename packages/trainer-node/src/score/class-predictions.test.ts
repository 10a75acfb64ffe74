import { describe, expect, it } from 'vitest';
import { ClassPredictionAccumulator, totalVariation } from './class-predictions.js';

function summarize(rows: number[][]) {
  const acc = new ClassPredictionAccumulator(rows[0]!.length);
  acc.add(rows.flat(), rows.length);
  return acc.result();
}

describe('class predictions', () => {
  it('scores confident, evenly spread predictions at the number of classes', () => {
    const oneHot = (k: number): number[] => [0, 1, 2, 3].map((y) => (y === k ? 1 : 0));
    const r = summarize([0, 1, 2, 3, 0, 1, 2, 3].map(oneHot));
    expect(r.inceptionScore).toBeCloseTo(4, 10);
    expect(r.classShares).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(r.meanConfidence).toBe(1);
  });

  it('scores a collapsed generator (every image the same class) and undecided predictions at 1', () => {
    const collapsed = summarize(Array.from({ length: 6 }, () => [0.05, 0.9, 0.05]));
    expect(collapsed.inceptionScore).toBeCloseTo(1, 10);
    expect(collapsed.classShares).toEqual([0, 1, 0]);
    expect(collapsed.meanConfidence).toBeCloseTo(0.9, 12);
    expect(summarize(Array.from({ length: 6 }, () => [1 / 3, 1 / 3, 1 / 3])).inceptionScore).toBeCloseTo(1, 10);
  });

  it('gives exp of the mean KL divergence from the marginal', () => {
    const rows = [[0.7, 0.3], [0.2, 0.8]];
    const marginal = [0.45, 0.55];
    const kl = rows.reduce((s, p) => s + p.reduce((t, q, y) => t + q * Math.log(q / marginal[y]!), 0), 0) / 2;
    expect(summarize(rows).inceptionScore).toBeCloseTo(Math.exp(kl), 12);
  });

  it('refuses rows that are not probabilities', () => {
    const acc = new ClassPredictionAccumulator(2);
    expect(() => acc.add([0.5, Number.NaN], 1)).toThrow(/probability of class 1 for image 0 is NaN/);
    expect(() => acc.add([0.5], 1)).toThrow(/need 2 values, got 1/);
  });

  it('measures the class balance gap as total variation', () => {
    expect(totalVariation([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(totalVariation([1, 0, 0], [0, 0.5, 0.5])).toBe(1);
    expect(totalVariation([0.1, 0.9], [0.5, 0.5])).toBeCloseTo(0.4, 12);
  });
});
