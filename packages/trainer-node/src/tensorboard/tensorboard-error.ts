import { ForgerError, type ForgerErrorOptions } from '@forger/core';

export type TensorBoardErrorCode =
  /** a TFRecord whose length or data fails its CRC-32C */
  | 'bad-record'
  /** a record that does not parse as a tensorflow.Event */
  | 'bad-event';

/** An event file that cannot be read back; the message says which file and byte, and what was wrong;
 * `where` is the file. */
export class TensorBoardError extends ForgerError<TensorBoardErrorCode> {
  override readonly name = 'TensorBoardError';

  constructor(code: TensorBoardErrorCode, message: string, options: ForgerErrorOptions = {}) {
    super(code, options.where ? `${options.where}: ${message}` : message, options);
  }
}
