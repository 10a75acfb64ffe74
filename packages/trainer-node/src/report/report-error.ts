export type ReportErrorCode =
  /** the folder given is not the run folder of a training run */
  'not-a-run';

/** A report that cannot be built; the message says which folder and what to give instead. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly code: ReportErrorCode,
    message: string,
    /** the folder concerned */
    readonly where?: string,
  ) {
    super(message);
  }
}
