/** A flag or a combination of flags that cannot work; `forger` prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'usage';
  constructor(
    message: string,
    /** the flag at fault, e.g. "--batch-size" */
    readonly flag?: string,
  ) {
    super(message);
  }
}
