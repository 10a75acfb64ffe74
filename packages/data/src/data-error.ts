import { ForgerError, type ForgerErrorOptions } from '@forger/core';

export type DataErrorCode =
  /** The first four bytes are not an IDX magic number of the kind expected (0x00000803 images, 0x00000801 labels). */
  | 'bad-magic'
  /** An IDX element type other than 0x08 (unsigned byte): Forger keeps images as bytes. */
  | 'unsupported-type'
  /** The file ends before the size its header declares. */
  | 'truncated'
  /** The file is longer than its header declares: it is not the file the header describes. */
  | 'trailing-bytes'
  /** Images and labels disagree on the number of examples, or a file holds fewer/more than the dataset must. */
  | 'count-mismatch'
  /** A CIFAR-10 batch is not a whole number of 3073-byte records. */
  | 'record-size'
  /** A label outside the dataset's classes. */
  | 'bad-label'
  /** Image dimensions other than the dataset's (e.g. MNIST must be 28×28). */
  | 'bad-shape'
  /** A `.gz` file that gunzip cannot read. */
  | 'bad-gzip'
  /** A MAT-file data element that is malformed: an unexpected type, a size that disagrees with its dimensions. */
  | 'bad-element'
  /** A MAT-file variable of the wrong MATLAB class (SVHN's X must be uint8). */
  | 'bad-class'
  /** A MAT-file without a variable the dataset needs (SVHN: X and y). */
  | 'missing-variable'
  /** A compressed MAT-file variable (miCOMPRESSED) that zlib cannot inflate. */
  | 'bad-compressed'
  /** A file, a `.gz` file's contents or a compressed MAT-file variable larger than Forger reads (MAX_DATA_FILE_BYTES, maxInflatedBytes). */
  | 'too-large'
  | 'missing-file'
  | 'missing-folder'
  /** The file exists but cannot be read (permissions, I/O error). */
  | 'unreadable-file'
  /** An output file (writeIdx) could not be written. */
  | 'write-failed'
  /** An unknown dataset name or an option out of range (batch size, labeled count…). */
  | 'bad-option'
  /** A saved iterator position that belongs to another dataset, split, seed or size. */
  | 'position-mismatch';

export interface DataErrorDetails extends ForgerErrorOptions {
  /** The file (or, for in-memory bytes, the caller's name for them) the problem was found in. */
  file?: string;
  /** For problems with a dataset already in memory (iterator options, subsets): `mnist/train`. */
  dataset?: string;
  expected?: string;
  found?: string;
}

/**
 * The only error @forger/data throws. The message names the file, what was
 * expected and what was found, so that a user can tell a truncated download
 * from a wrong path without a debugger:
 * `DataError: t10k-labels-idx1-ubyte: truncated: expected 10008 bytes (header + 10000 labels), found 4096 bytes`.
 */
export class DataError extends ForgerError<DataErrorCode> {
  override readonly name = 'DataError';
  readonly file?: string;
  readonly dataset?: string;
  readonly expected?: string;
  readonly found?: string;

  constructor(code: DataErrorCode, problem: string, details: DataErrorDetails = {}) {
    super(code, formatDataErrorMessage(code, problem, details), { ...details, where: details.where ?? details.file ?? details.dataset });
    if (details.file !== undefined) this.file = details.file;
    if (details.dataset !== undefined) this.dataset = details.dataset;
    if (details.expected !== undefined) this.expected = details.expected;
    if (details.found !== undefined) this.found = details.found;
  }
}

function formatDataErrorMessage(code: DataErrorCode, problem: string, details: DataErrorDetails): string {
  const parts: string[] = [];
  if (details.file !== undefined) parts.push(`${details.file}:`);
  else if (details.dataset !== undefined) parts.push(`dataset ${details.dataset}:`);
  parts.push(`${code}: ${problem}`);
  const comparison: string[] = [];
  if (details.expected !== undefined) comparison.push(`expected ${details.expected}`);
  if (details.found !== undefined) comparison.push(`found ${details.found}`);
  const head = parts.join(' ');
  return comparison.length === 0 ? head : `${head} (${comparison.join(', ')})`;
}
