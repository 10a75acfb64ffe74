import { describe, expect, it } from 'vitest';
import type { FeatureStatistics } from './feature-statistics.js';
import { frechetDistance } from './frechet-distance.js';

function stats(mean: number[], covariance: number[][]): FeatureStatistics {
  return { count: 100, dimension: mean.length, mean: Float64Array.from(mean), covariance: Float64Array.from(covariance.flat()) };
}

/** Rotation by `angle` applied to a 2-D Gaussian: R Σ Rᵀ, R μ. */
function rotated(s: { mean: number[]; covariance: number[][] }, angle: number): FeatureStatistics {
  const [c, n] = [Math.cos(angle), Math.sin(angle)];
  const r = [[c, -n], [n, c]];
  const mul = (a: number[][], b: number[][]): number[][] => a.map((row) => b[0]!.map((_, j) => row.reduce((sum, v, k) => sum + v * b[k]![j]!, 0)));
  const rt = [[c, n], [-n, c]];
  return stats(r.map((row) => row[0]! * s.mean[0]! + row[1]! * s.mean[1]!), mul(mul(r, s.covariance), rt));
}

describe('frechetDistance', () => {
  it('is 0 for the same statistics', () => {
    const a = stats([1, -2, 3], [[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 3]]);
    expect(frechetDistance(a, a)).toBeCloseTo(0, 9);
  });

  it('is (μa − μb)² + (σa − σb)² in one dimension', () => {
    expect(frechetDistance(stats([1], [[4]]), stats([4], [[9]]))).toBeCloseTo(9 + 1, 10);
  });

  it('adds per axis for diagonal covariances', () => {
    const a = stats([0, 0], [[1, 0], [0, 16]]);
    const b = stats([3, 4], [[4, 0], [0, 1]]);
    expect(frechetDistance(a, b)).toBeCloseTo(25 + (1 - 2) ** 2 + (4 - 1) ** 2, 9);
  });

  it('matches the closed form tr √M = √(tr M + 2√det M) of 2×2 matrices for covariances that do not commute', () => {
    const sa = [[2, 0.9], [0.9, 1]];
    const sb = [[1, -0.3], [-0.3, 3]];
    const m = [
      [sa[0]![0]! * sb[0]![0]! + sa[0]![1]! * sb[1]![0]!, sa[0]![0]! * sb[0]![1]! + sa[0]![1]! * sb[1]![1]!],
      [sa[1]![0]! * sb[0]![0]! + sa[1]![1]! * sb[1]![0]!, sa[1]![0]! * sb[0]![1]! + sa[1]![1]! * sb[1]![1]!],
    ];
    const traceSqrt = Math.sqrt(m[0]![0]! + m[1]![1]! + 2 * Math.sqrt(m[0]![0]! * m[1]![1]! - m[0]![1]! * m[1]![0]!));
    const expected = (1 - 0) ** 2 + (2 - 1) ** 2 + 3 + 4 - 2 * traceSqrt;
    expect(frechetDistance(stats([1, 2], sa), stats([0, 1], sb))).toBeCloseTo(expected, 9);
  });

  it('is symmetric and unchanged when both Gaussians are rotated alike', () => {
    const a = { mean: [1, 2], covariance: [[2, 0.9], [0.9, 1]] };
    const b = { mean: [0, -1], covariance: [[1, -0.3], [-0.3, 3]] };
    const d = frechetDistance(stats(a.mean, a.covariance), stats(b.mean, b.covariance));
    expect(frechetDistance(stats(b.mean, b.covariance), stats(a.mean, a.covariance))).toBeCloseTo(d, 9);
    expect(frechetDistance(rotated(a, 0.7), rotated(b, 0.7))).toBeCloseTo(d, 9);
  });

  it('refuses statistics of different dimensions', () => {
    expect(() => frechetDistance(stats([0], [[1]]), stats([0, 0], [[1, 0], [0, 1]]))).toThrow(/feature dimensions differ: 1 and 2/);
  });
});
