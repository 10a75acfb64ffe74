import { ForgerError } from '@forger/core';

export type RunErrorCode =
  /** a loss became NaN or ±Inf */
  | 'diverged'
  /** --resume names a checkpoint without training state (e.g. a web export) or with an unusable config */
  | 'not-resumable'
  /** the dataset does not fit the model or the flags */
  | 'bad-data';

/** A training run that cannot start or go on; the message says which file or step and what to do;
 * `where` is the step (diverged) or file (not-resumable) concerned. */
export class RunError extends ForgerError<RunErrorCode> {
  override readonly name = 'RunError';
}
