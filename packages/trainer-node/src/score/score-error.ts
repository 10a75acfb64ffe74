import { ForgerError, type ForgerErrorOptions } from '@forger/core';

export type ScoreErrorCode =
  /** features, images or options that cannot be scored (wrong sizes, too few samples) */
  | 'bad-input'
  /** a NaN or infinite feature: a diverged generator */
  | 'not-finite'
  /** the reference classifier is missing, or is not one `forger score` can use */
  | 'no-reference'
  /** the reference classifier was trained on other images than the generator */
  | 'wrong-reference';

/** Samples that cannot be scored; the message says which input or file and what was wrong. */
export class ScoreError extends ForgerError<ScoreErrorCode> {
  override readonly name = 'ScoreError';

  constructor(code: ScoreErrorCode, message: string, options: ForgerErrorOptions = {}) {
    super(code, options.where ? `${options.where}: ${message}` : message, options);
  }
}
