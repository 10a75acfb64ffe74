import { DataError } from './data-error.js';
import type { Dataset, Split } from './dataset.js';
import { assembleDataset } from './dataset.js';

// The CIFAR-10 "binary version" (Krizhevsky, https://www.cs.toronto.edu/~kriz/cifar.html):
// each record is 1 label byte then 3072 pixel bytes, the red plane (1024, row-major 32×32),
// then green, then blue. Forger's images are NHWC, so the planes are interleaved on load.

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
export const CIFAR10_IMAGE = { height: 32, width: 32, channels: 3 } as const;
const PLANE_BYTES = CIFAR10_IMAGE.height * CIFAR10_IMAGE.width;
const PIXEL_BYTES = PLANE_BYTES * CIFAR10_IMAGE.channels;
export const CIFAR10_RECORD_BYTES = 1 + PIXEL_BYTES;
/** Every file of the official binary version holds 10,000 records. */
export const CIFAR10_RECORDS_PER_FILE = 10_000;
export const CIFAR10_FILES: Readonly<Record<Split, readonly string[]>> = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

export interface Cifar10Batch {
  count: number;
  /** count × 32 × 32 × 3 bytes, NHWC. */
  images: Uint8Array;
  labels: Uint8Array;
}

/** Parses one CIFAR-10 binary batch file (any whole number of records). `where` names it in errors. */
export function parseCifar10Batch(bytes: ArrayBuffer | Uint8Array, where: string): Cifar10Batch {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const count = cifar10RecordCount(view.length, where);
  const batch = { count, images: new Uint8Array(count * PIXEL_BYTES), labels: new Uint8Array(count) };
  decodeCifar10Records(view, where, batch, 0);
  return batch;
}

/** Records in a batch of `byteLength` bytes; a DataError unless it is a positive whole number. */
export function cifar10RecordCount(byteLength: number, where: string): number {
  const count = Math.floor(byteLength / CIFAR10_RECORD_BYTES);
  if (byteLength === 0 || byteLength % CIFAR10_RECORD_BYTES !== 0) {
    throw new DataError('record-size', `a CIFAR-10 batch is a whole number of ${CIFAR10_RECORD_BYTES}-byte records`, {
      file: where,
      expected: `a positive multiple of ${CIFAR10_RECORD_BYTES} bytes`,
      found: `${byteLength} bytes (${count} records and ${byteLength % CIFAR10_RECORD_BYTES} bytes left over)`,
    });
  }
  return count;
}

/**
 * Decodes the records of one batch file into a split's arrays from record
 * `firstRecord` on, so that loading five files allocates the split once
 * (150 MB for CIFAR-10 train) rather than once per file and again to join them.
 */
export function decodeCifar10Records(
  bytes: Uint8Array,
  where: string,
  out: { images: Uint8Array; labels: Uint8Array },
  firstRecord: number,
): number {
  const count = cifar10RecordCount(bytes.length, where);
  if (out.labels.length < firstRecord + count || out.images.length < (firstRecord + count) * PIXEL_BYTES) {
    throw new DataError('bad-option', 'the output arrays are too small for this batch', {
      file: where,
      expected: `room for records ${firstRecord}..${firstRecord + count - 1}`,
      found: `${out.labels.length} labels`,
    });
  }
  for (let record = 0; record < count; record++) {
    const recordStart = record * CIFAR10_RECORD_BYTES;
    const label = bytes[recordStart]!;
    if (label >= CIFAR10_CLASS_NAMES.length) {
      throw new DataError('bad-label', `record ${record} has a label outside the 10 classes`, {
        file: where,
        expected: 'a label byte in 0..9 at the start of every 3073-byte record',
        found: `${label} at byte ${recordStart}`,
      });
    }
    out.labels[firstRecord + record] = label;
    planesToInterleaved(
      bytes.subarray(recordStart + 1, recordStart + CIFAR10_RECORD_BYTES),
      out.images,
      (firstRecord + record) * PIXEL_BYTES,
    );
  }
  return count;
}

/** Checks a batch file's size against the records it must hold: the official files hold 10,000 each. */
export function checkCifar10FileSize(byteLength: number, where: string, recordsPerFile: number): void {
  const count = cifar10RecordCount(byteLength, where);
  if (count !== recordsPerFile) {
    throw new DataError('count-mismatch', 'a CIFAR-10 batch file has a fixed number of records', {
      file: where,
      expected: `${recordsPerFile} records (${recordsPerFile * CIFAR10_RECORD_BYTES} bytes)`,
      found: `${count} records (${byteLength} bytes)`,
    });
  }
}

/**
 * The CIFAR-10 split from its batch files' bytes, in file order. With
 * `recordsPerFile` (default 10,000, the official size) a file cut at a record
 * boundary is still caught; pass another number for a deliberately smaller copy.
 */
export function cifar10FromBatches(
  files: readonly { bytes: ArrayBuffer | Uint8Array; file: string }[],
  split: Split,
  recordsPerFile: number = CIFAR10_RECORDS_PER_FILE,
): Dataset {
  const views = files.map(({ bytes, file }) => {
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    checkCifar10FileSize(view.length, file, recordsPerFile);
    return { view, file };
  });
  const decoded = allocateCifar10Split(views.length * recordsPerFile);
  let record = 0;
  for (const { view, file } of views) record += decodeCifar10Records(view, file, decoded, record);
  return cifar10Dataset(decoded, split, files.map((f) => f.file));
}

export function allocateCifar10Split(count: number): { images: Uint8Array; labels: Uint8Array } {
  return { images: new Uint8Array(count * PIXEL_BYTES), labels: new Uint8Array(count) };
}

/** Wraps decoded records as the 'cifar10' Dataset; `files` name them in errors. */
export function cifar10Dataset(
  decoded: { images: Uint8Array; labels: Uint8Array },
  split: Split,
  files: readonly string[],
): Dataset {
  if (files.length === 0 || decoded.labels.length === 0) {
    throw new DataError('bad-option', 'a CIFAR-10 split needs at least one batch file', {
      expected: CIFAR10_FILES[split].join(', '),
      found: 'no files',
    });
  }
  const filesList = files.join(', ');
  return assembleDataset({
    name: 'cifar10',
    split,
    image: { ...CIFAR10_IMAGE },
    images: decoded.images,
    imageCount: decoded.labels.length,
    imagesFile: filesList,
    labels: decoded.labels,
    labelsFile: filesList,
    classNames: [...CIFAR10_CLASS_NAMES],
  });
}

/** One record's R, G, B planes (CHW) → interleaved RGB pixels (HWC) at `out[offset…]`. */
function planesToInterleaved(planes: Uint8Array, out: Uint8Array, offset: number): void {
  for (let p = 0; p < PLANE_BYTES; p++) {
    const o = offset + 3 * p;
    out[o] = planes[p]!;
    out[o + 1] = planes[PLANE_BYTES + p]!;
    out[o + 2] = planes[2 * PLANE_BYTES + p]!;
  }
}
