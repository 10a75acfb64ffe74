import { describe, expect, it } from 'vitest';
import { Rng } from '@forger/core';
import { FeatureStatisticsAccumulator } from './feature-statistics.js';
import { ScoreError } from './score-error.js';

/** The textbook two-pass mean and covariance, to check the streaming one against. */
function twoPass(rows: number[][]): { mean: number[]; covariance: number[][] } {
  const n = rows.length;
  const d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const covariance = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (n - 1)),
  );
  return { mean, covariance };
}

describe('FeatureStatisticsAccumulator', () => {
  const rng = Rng.fromSeed(3);
  // features with a large shared offset and ReLU-like zeros: the cases that break a naive Σx² − n·mean²
  const rows = Array.from({ length: 57 }, () => Array.from({ length: 5 }, (_, j) => (j === 4 ? 0 : 1000 + rng.fillNormal(new Float32Array(1))[0]! * (j + 1))));

  it('gives the two-pass mean and covariance whatever the batch split', () => {
    const expected = twoPass(rows);
    for (const split of [[57], [1, 56], [20, 20, 17]]) {
      const acc = new FeatureStatisticsAccumulator(5);
      let start = 0;
      for (const size of split) {
        acc.add(rows.slice(start, start + size).flat(), size);
        start += size;
      }
      const stats = acc.result();
      expect(stats.count).toBe(57);
      stats.mean.forEach((m, j) => expect(m).toBeCloseTo(expected.mean[j]!, 6));
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(stats.covariance[i * 5 + j]).toBeCloseTo(expected.covariance[i]![j]!, 6);
    }
  });

  it('refuses mis-sized input, non-finite features, and a covariance of one vector', () => {
    const acc = new FeatureStatisticsAccumulator(3);
    expect(() => acc.add([1, 2, 3, 4], 1)).toThrow(/1 feature vectors of 3 need 3 values, got 4/);
    expect(() => acc.add([1, Number.NaN, 3], 1)).toThrow(ScoreError);
    const one = new FeatureStatisticsAccumulator(3);
    one.add([1, 2, 3], 1);
    expect(() => one.result()).toThrow(/at least 2 feature vectors, got 1/);
  });
});
