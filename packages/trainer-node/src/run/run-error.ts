export type RunErrorCode =
  /** a loss became NaN or ±Inf */
  | 'diverged'
  /** --resume names a checkpoint without training state (e.g. a web export) or with an unusable config */
  | 'not-resumable'
  /** the dataset does not fit the model or the flags */
  | 'bad-data';

/** A training run that cannot start or go on; the message says which file or step and what to do. */
export class RunError extends Error {
  override readonly name = 'RunError';
  constructor(
    readonly code: RunErrorCode,
    message: string,
    /** the step (diverged) or file (not-resumable) concerned */
    readonly where?: string,
  ) {
    super(message);
  }
}
