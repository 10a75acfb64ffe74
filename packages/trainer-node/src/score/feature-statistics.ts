import { ScoreError } from './score-error.js';

/** Mean and covariance (divisor n − 1) of n feature vectors, in float64. */
export interface FeatureStatistics {
  count: number;
  dimension: number;
  mean: Float64Array;
  /** Row-major dimension × dimension. */
  covariance: Float64Array;
}

/**
 * Mean and covariance accumulated batch by batch, so 10,000 samples never sit in memory as one matrix. Sums are
 * shifted by the first vector (a cheap guard against the cancellation of Σx² − n·mean² when features share a large
 * offset), in float64.
 */
export class FeatureStatisticsAccumulator {
  private count = 0;
  private shift: Float64Array | undefined;
  private readonly sum: Float64Array;
  private readonly products: Float64Array;

  constructor(readonly dimension: number) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new ScoreError('bad-input', `feature dimension must be a positive integer, got ${dimension}`);
    this.sum = new Float64Array(dimension);
    this.products = new Float64Array(dimension * dimension);
  }

  /** `rows` feature vectors, row-major (`rows × dimension` values). */
  add(features: ArrayLike<number>, rows: number): void {
    const d = this.dimension;
    if (features.length !== rows * d) {
      throw new ScoreError('bad-input', `${rows} feature vectors of ${d} need ${rows * d} values, got ${features.length}`);
    }
    if (rows === 0) return;
    this.shift ??= Float64Array.from({ length: d }, (_, j) => features[j]!);
    const centred = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const v = features[r * d + j]!;
        if (!Number.isFinite(v)) throw new ScoreError('not-finite', `feature ${j} of vector ${this.count + r} is ${v}`);
        centred[j] = v - this.shift[j]!;
        this.sum[j]! += centred[j]!;
      }
      // upper triangle only; mirrored in result()
      for (let i = 0; i < d; i++) {
        const ci = centred[i]!;
        if (ci === 0) continue; // a ReLU feature at 0 where the first vector had 0 too: common, and free to skip
        const row = i * d;
        for (let j = i; j < d; j++) this.products[row + j]! += ci * centred[j]!;
      }
    }
    this.count += rows;
  }

  result(): FeatureStatistics {
    const n = this.count;
    const d = this.dimension;
    if (n < 2) throw new ScoreError('bad-input', `a covariance needs at least 2 feature vectors, got ${n}`);
    const shift = this.shift!;
    const centredMean = this.sum.map((s) => s / n);
    const mean = centredMean.map((m, j) => m + shift[j]!);
    const covariance = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const c = (this.products[i * d + j]! - n * centredMean[i]! * centredMean[j]!) / (n - 1);
        covariance[i * d + j] = c;
        covariance[j * d + i] = c;
      }
    }
    return { count: n, dimension: d, mean, covariance };
  }
}
