import { ScoreError } from './score-error.js';

/** What a classifier's predictions say about a set of images. */
export interface ClassPredictionSummary {
  count: number;
  /**
   * exp(E_x KL(p(y|x) ‖ p(y))), Salimans et al. 2016's Inception score with the reference classifier in place of
   * Inception: high when each image is confidently one class and the classes are evenly used; at most the number of
   * classes. Computed over all images at once (not averaged over 10 splits).
   */
  inceptionScore: number;
  /** share of the images whose most probable class is each class */
  classShares: number[];
  /** mean of max_y p(y|x): how clearly an image is some class */
  meanConfidence: number;
}

/** Streams softmax outputs batch by batch into a ClassPredictionSummary. */
export class ClassPredictionAccumulator {
  private count = 0;
  /** Σ_x p(y|x), for the marginal p(y) */
  private readonly probabilitySums: Float64Array;
  /** Σ_x Σ_y p(y|x) log p(y|x) */
  private negativeEntropySum = 0;
  private confidenceSum = 0;
  private readonly argmaxCounts: Float64Array;

  constructor(readonly classes: number) {
    if (!Number.isInteger(classes) || classes < 2) throw new ScoreError('bad-input', `class predictions need at least 2 classes, got ${classes}`);
    this.probabilitySums = new Float64Array(classes);
    this.argmaxCounts = new Float64Array(classes);
  }

  /** `rows` probability vectors, row-major (`rows × classes` values, each row summing to 1). */
  add(probabilities: ArrayLike<number>, rows: number): void {
    const k = this.classes;
    if (probabilities.length !== rows * k) throw new ScoreError('bad-input', `${rows} rows of ${k} class probabilities need ${rows * k} values, got ${probabilities.length}`);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let y = 0; y < k; y++) {
        const p = probabilities[r * k + y]!;
        if (!(p >= 0 && p <= 1)) throw new ScoreError('not-finite', `probability of class ${y} for image ${this.count + r} is ${p}`);
        this.probabilitySums[y]! += p;
        if (p > 0) this.negativeEntropySum += p * Math.log(p);
        if (p > probabilities[r * k + best]!) best = y;
      }
      this.argmaxCounts[best]! += 1;
      this.confidenceSum += probabilities[r * k + best]!;
    }
    this.count += rows;
  }

  result(): ClassPredictionSummary {
    const n = this.count;
    if (n === 0) throw new ScoreError('bad-input', 'no images were classified');
    // E_x KL(p(y|x) ‖ p(y)) = E_x Σ p log p − Σ_y p(y) log p(y)
    let marginalNegativeEntropy = 0;
    for (const sum of this.probabilitySums) {
      const p = sum / n;
      if (p > 0) marginalNegativeEntropy += p * Math.log(p);
    }
    const meanKl = this.negativeEntropySum / n - marginalNegativeEntropy;
    return {
      count: n,
      inceptionScore: Math.exp(Math.max(meanKl, 0)),
      classShares: Array.from(this.argmaxCounts, (c) => c / n),
      meanConfidence: this.confidenceSum / n,
    };
  }
}

/** ½ Σ |a − b|: 0 when two class distributions agree, 1 when they share no class. */
export function totalVariation(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new ScoreError('bad-input', `class distributions of ${a.length} and ${b.length} classes`);
  return a.reduce((sum, p, i) => sum + Math.abs(p - b[i]!), 0) / 2;
}
