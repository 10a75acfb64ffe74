import { ForgerError } from '@forger/core';

/**
 * A flag or a combination of flags that cannot work; `forger` prints it with the command's usage and exits 2.
 * `where` is the flag at fault, e.g. "--batch-size".
 */
export class UsageError extends ForgerError<'usage'> {
  override readonly name = 'UsageError';
}
