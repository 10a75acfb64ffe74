export type TensorBoardErrorCode =
  /** a TFRecord whose length or data fails its CRC-32C */
  | 'bad-record'
  /** a record that does not parse as a tensorflow.Event */
  | 'bad-event';

/** An event file that cannot be read back; the message says which file and byte, and what was wrong. */
export class TensorBoardError extends Error {
  override readonly name = 'TensorBoardError';
  constructor(
    readonly code: TensorBoardErrorCode,
    message: string,
    /** the file concerned */
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}
