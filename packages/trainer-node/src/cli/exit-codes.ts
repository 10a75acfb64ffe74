/**
 * The exit codes of `forger`, documented in the README. 2 for usage errors follows the shells' and getopt's
 * convention; 3 tells a script that training itself failed (a loss went NaN/Inf), not its inputs; 4 that it was
 * stopped on purpose, by --stop-on, on a condition of the training-health monitor.
 */
export const ExitCode = {
  ok: 0,
  /** a file could not be read or written, a checkpoint or dataset is invalid */
  failure: 1,
  /** bad flags or values; nothing was written */
  usage: 2,
  /** training diverged (NaN or Inf in a loss); the last good checkpoint is kept */
  diverged: 3,
  /** stopped by --stop-on on a training-health condition; the last checkpoint from before it began is kept */
  unhealthy: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
