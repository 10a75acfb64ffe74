import type { ImageShape } from '@forger/core';
import { DataError } from './data-error.js';

// The IDX format (LeCun's MNIST page): a 4-byte magic number [0, 0, type, rank],
// then `rank` big-endian uint32 dimensions, then the elements in row-major order.
// Forger reads and writes type 0x08 (unsigned byte) only: every image dataset it
// trains on is 8-bit, and keeping the bytes avoids a float copy of the whole set.

/** Element type 0x08: unsigned byte. */
export const IDX_UNSIGNED_BYTE = 0x08;
/** Magic of an unsigned-byte label file: rank 1 (count). */
export const IDX1_UBYTE_MAGIC = 0x00000801;
/** Magic of an unsigned-byte image file: rank 3 (count, rows, columns). */
export const IDX3_UBYTE_MAGIC = 0x00000803;
/** Magic of an unsigned-byte colour image file: rank 4 (count, rows, columns, channels), NHWC. */
export const IDX4_UBYTE_MAGIC = 0x00000804;

const IDX_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** The largest value a dimension may take: it is stored as a uint32. */
const MAX_IDX_DIM = 0xffffffff;

export interface IdxTensor {
  dims: number[];
  /** The elements, row-major; a view into the given bytes, not a copy. */
  data: Uint8Array;
}

export interface IdxImages {
  count: number;
  image: ImageShape;
  /** count × height × width × channels bytes, NHWC; a view into the given bytes. */
  pixels: Uint8Array;
}

/** Reads an unsigned-byte IDX file of any rank. `where` names the bytes in errors (a file path or URL). */
export function parseIdx(bytes: ArrayBuffer | Uint8Array, where: string): IdxTensor {
  const view = asUint8Array(bytes);
  if (view.length < 4) {
    throw new DataError('truncated', 'the file is too short to hold an IDX magic number', {
      file: where,
      expected: 'at least 4 bytes',
      found: `${view.length} bytes`,
    });
  }
  const magic = readUint32BigEndian(view, 0);
  const typeByte = view[2]!;
  const rank = view[3]!;
  if (view[0] !== 0 || view[1] !== 0 || IDX_TYPE_NAMES[typeByte] === undefined || rank === 0) {
    throw new DataError('bad-magic', 'not an IDX file', {
      file: where,
      expected: 'an IDX magic number 0x000008NN (unsigned byte, NN dimensions), e.g. 0x00000803 for images',
      found: formatMagic(magic),
    });
  }
  if (typeByte !== IDX_UNSIGNED_BYTE) {
    throw new DataError('unsupported-type', 'Forger reads unsigned-byte IDX files only', {
      file: where,
      expected: `type 0x08 (unsigned byte)`,
      found: `type 0x${typeByte.toString(16).padStart(2, '0')} (${IDX_TYPE_NAMES[typeByte]})`,
    });
  }
  const headerBytes = 4 + 4 * rank;
  if (view.length < headerBytes) {
    throw new DataError('truncated', `the header declares ${rank} dimensions but ends early`, {
      file: where,
      expected: `a ${headerBytes}-byte header`,
      found: `${view.length} bytes`,
    });
  }
  const dims: number[] = [];
  let elements = 1;
  for (let axis = 0; axis < rank; axis++) {
    const dim = readUint32BigEndian(view, 4 + 4 * axis);
    dims.push(dim);
    elements *= dim;
  }
  const expectedBytes = headerBytes + elements;
  const shape = dims.join('×');
  if (view.length < expectedBytes) {
    throw new DataError('truncated', `the header declares ${shape} elements but the data ends early`, {
      file: where,
      expected: `${expectedBytes} bytes (${headerBytes}-byte header + ${elements} elements)`,
      found: `${view.length} bytes`,
    });
  }
  if (view.length > expectedBytes) {
    throw new DataError('trailing-bytes', `the header declares ${shape} elements but the file is longer`, {
      file: where,
      expected: `${expectedBytes} bytes (${headerBytes}-byte header + ${elements} elements)`,
      found: `${view.length} bytes`,
    });
  }
  return { dims, data: view.subarray(headerBytes, expectedBytes) };
}

/**
 * Reads an image file: magic 0x00000803 (count, rows, columns: grey) or
 * 0x00000804 (count, rows, columns, channels: NHWC, as `encodeIdx` writes colour images).
 */
export function parseIdxImages(bytes: ArrayBuffer | Uint8Array, where: string): IdxImages {
  const { dims, data } = parseIdx(bytes, where);
  if (dims.length !== 3 && dims.length !== 4) {
    throw new DataError('bad-magic', 'not an IDX image file', {
      file: where,
      expected: `${formatMagic(IDX3_UBYTE_MAGIC)} (images: count, rows, columns) or ${formatMagic(IDX4_UBYTE_MAGIC)} (count, rows, columns, channels)`,
      found: `${formatMagic(0x800 | dims.length)} (${dims.length} dimensions: ${dims.join('×')})`,
    });
  }
  const [count, height, width, channels = 1] = dims as [number, number, number, number?];
  if (height < 1 || width < 1 || channels < 1) {
    // a 0-pixel image would reach a network with 0 inputs, and fail there far from the file's name
    throw new DataError('bad-shape', 'an image must have at least one row, one column and one channel', {
      file: where,
      expected: 'height, width and channels ≥ 1',
      found: `${height}×${width}×${channels}`,
    });
  }
  return { count, image: { height, width, channels }, pixels: data };
}

/** Reads a label file: magic 0x00000801, one unsigned byte per example. */
export function parseIdxLabels(bytes: ArrayBuffer | Uint8Array, where: string): Uint8Array {
  const { dims, data } = parseIdx(bytes, where);
  if (dims.length !== 1) {
    throw new DataError('bad-magic', 'not an IDX label file', {
      file: where,
      expected: `${formatMagic(IDX1_UBYTE_MAGIC)} (labels: count)`,
      found: `${formatMagic(0x800 | dims.length)} (${dims.length} dimensions: ${dims.join('×')})`,
    });
  }
  return data;
}

/**
 * Writes an unsigned-byte IDX file: `encodeIdx([n, 28, 28], pixels)` gives the
 * MNIST image layout, `encodeIdx([n], labels)` the label layout, and
 * `encodeIdx([n, h, w, c], pixels)` colour images (magic 0x00000804).
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length < 1 || dims.length > 255) {
    throw new DataError('bad-option', 'an IDX file has 1 to 255 dimensions', {
      expected: '1..255 dimensions',
      found: `${dims.length}`,
    });
  }
  let elements = 1;
  for (const dim of dims) {
    if (!Number.isInteger(dim) || dim < 0 || dim > MAX_IDX_DIM) {
      throw new DataError('bad-option', 'an IDX dimension is a uint32', {
        expected: `integers in 0..${MAX_IDX_DIM}`,
        found: `[${dims.join(', ')}]`,
      });
    }
    elements *= dim;
  }
  if (elements !== data.length) {
    throw new DataError('count-mismatch', 'the data does not fill the dimensions', {
      expected: `${elements} bytes for ${dims.join('×')}`,
      found: `${data.length} bytes`,
    });
  }
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + elements);
  const header = new DataView(out.buffer);
  header.setUint32(0, 0x800 | dims.length, false);
  dims.forEach((dim, axis) => header.setUint32(4 + 4 * axis, dim, false));
  out.set(data, headerBytes);
  return out;
}

/**
 * The size of the IDX file that starts with `prefix`, from its header alone: `undefined` while `prefix` is too short
 * to tell, `null` when it is not an IDX header. Lets a reader stop inflating a gzip stream at the declared size.
 */
export function idxFileBytes(prefix: Uint8Array): number | null | undefined {
  if (prefix.length < 4) return undefined;
  // only unsigned bytes have one byte per element; parseIdx names any other type
  if (prefix[0] !== 0 || prefix[1] !== 0 || prefix[2] !== IDX_UNSIGNED_BYTE || prefix[3] === 0) return null;
  const rank = prefix[3]!;
  const headerBytes = 4 + 4 * rank;
  if (prefix.length < headerBytes) return undefined;
  let elements = 1;
  for (let axis = 0; axis < rank; axis++) elements *= readUint32BigEndian(prefix, 4 + 4 * axis);
  return headerBytes + elements;
}

export function formatMagic(magic: number): string {
  return `0x${(magic >>> 0).toString(16).padStart(8, '0')}`;
}

function asUint8Array(bytes: ArrayBuffer | Uint8Array): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

function readUint32BigEndian(view: Uint8Array, offset: number): number {
  return ((view[offset]! << 24) | (view[offset + 1]! << 16) | (view[offset + 2]! << 8) | view[offset + 3]!) >>> 0;
}
