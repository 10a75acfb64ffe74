import { ForgerError } from '@forger/core';

export type RunErrorCode =
  /** a loss became NaN or ±Inf */
  | 'diverged'
  /** a training-health condition that --stop-on names (health-monitor.ts) */
  | 'unhealthy'
  /** --resume names a checkpoint without training state (e.g. a web export) or with an unusable config */
  | 'not-resumable'
  /** the dataset does not fit the model or the flags */
  | 'bad-data'
  /** another trainer holds the run folder's lock file */
  | 'busy';

/** A training run that cannot start or go on; the message says which file or step and what to do;
 * `where` is the step (diverged) or file (not-resumable) concerned. */
export class RunError extends ForgerError<RunErrorCode> {
  override readonly name = 'RunError';
}

/**
 * A checkpoint that decoded but cannot be resumed (an Rng state of another algorithm, an optimizer slot of the wrong
 * shape: RngError, ModelError…): a RunError naming the file the user gave, the original kept as its cause. Anything
 * else passes unchanged.
 */
export function notResumable(path: string, error: unknown): unknown {
  if (!(error instanceof ForgerError) || error instanceof RunError) return error;
  return new RunError('not-resumable', `${path}: ${error.message}; resume from another checkpoint of the run`, { where: path, cause: error });
}
