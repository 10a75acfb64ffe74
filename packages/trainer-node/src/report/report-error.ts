import { ForgerError } from '@forger/core';

export type ReportErrorCode =
  /** the folder given is not the run folder of a training run */
  'not-a-run';

/** A report that cannot be built; the message says which folder and what to give instead; `where` is the folder. */
export class ReportError extends ForgerError<ReportErrorCode> {
  override readonly name = 'ReportError';
}
