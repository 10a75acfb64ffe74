import { ScoreError } from './score-error.js';

/** How often the reference classifier names the class a conditional generator was asked for. */
export interface ClassAccuracy {
  /** share of all samples whose most probable class (by the reference classifier) is the requested one */
  overall: number;
  /** the same per requested class (NaN for a class never requested) */
  perClass: number[];
  /** samples requested of each class */
  requested: number[];
}

/**
 * Streams (class probabilities, requested class) pairs into a ClassAccuracy: the class-conditional measure of
 * Odena et al. 2017 §4.1 ("the accuracy of an Inception network on the samples", here the reference classifier).
 */
export class ClassAccuracyAccumulator {
  private readonly agreed: Float64Array;
  private readonly requested: Float64Array;

  constructor(readonly classes: number) {
    this.agreed = new Float64Array(classes);
    this.requested = new Float64Array(classes);
  }

  /** `rows` probability vectors (row-major, `rows × classes`) and the class each image was asked to be. */
  add(probabilities: ArrayLike<number>, labels: ArrayLike<number>, rows: number): void {
    const k = this.classes;
    if (labels.length !== rows) throw new ScoreError('bad-input', `${rows} images need ${rows} requested classes, got ${labels.length}`);
    for (let r = 0; r < rows; r++) {
      const label = labels[r]!;
      if (!Number.isInteger(label) || label < 0 || label >= k) {
        throw new ScoreError('wrong-reference', `requested class ${label} is not one of the reference classifier's ${k} classes`);
      }
      let best = 0;
      for (let y = 1; y < k; y++) if (probabilities[r * k + y]! > probabilities[r * k + best]!) best = y;
      this.requested[label]! += 1;
      if (best === label) this.agreed[label]! += 1;
    }
  }

  result(): ClassAccuracy {
    const total = this.requested.reduce((a, b) => a + b, 0);
    if (total === 0) throw new ScoreError('bad-input', 'no images with a requested class were classified');
    return {
      overall: this.agreed.reduce((a, b) => a + b, 0) / total,
      perClass: Array.from(this.agreed, (a, y) => a / this.requested[y]!),
      requested: Array.from(this.requested),
    };
  }
}
