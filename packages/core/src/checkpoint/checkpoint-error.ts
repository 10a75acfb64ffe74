import { ForgerError, type ForgerErrorOptions } from '../forger-error.js';

export type CheckpointErrorCode =
  /** The file does not start with the "FORGERCK" envelope. */
  | 'bad-magic'
  /** A format version this reader does not know. */
  | 'unsupported-version'
  /** The payload's CRC-32 differs from the envelope's: the file is damaged. */
  | 'checksum-mismatch'
  /** The protobuf wire data cannot be parsed. */
  | 'malformed'
  /** A required field (spec, family, image shape, latent dim, generator) is absent. */
  | 'missing-field'
  /** A tensor's dtype, shape, data length, scale or quant axis is inconsistent. */
  | 'bad-tensor'
  /** A declared size exceeds the reader's limits. */
  | 'too-large'
  /** A weight is NaN or ±Inf, a batch-norm variance is negative, or a value overflows the export dtype (float16). */
  | 'not-finite'
  /** The model spec is not usable: unknown enums, non-positive sizes, duplicate names. */
  | 'bad-spec';

/**
 * The only error the checkpoint codec throws. `where` locates the problem in
 * the file, e.g. `generator[3] "dense_1/kernel"`.
 */
export class CheckpointError extends ForgerError<CheckpointErrorCode> {
  override readonly name = 'CheckpointError';

  constructor(code: CheckpointErrorCode, message: string, options: ForgerErrorOptions = {}) {
    super(code, options.where === undefined ? message : `${options.where}: ${message}`, options);
  }
}
