import { DataError } from './data-error.js';

// A reader for MATLAB Level 5 MAT-files ("MAT-File Format", The MathWorks, R2024a, ch. 1), enough for numeric
// arrays such as SVHN's `X` and `y`: the 128-byte header, data elements with their 8-byte tag (or the 4-byte
// small-element form), miMATRIX with array flags, dimensions, name and real part, and miCOMPRESSED (a zlib
// stream holding further elements). Browser-safe: inflating is the caller's (node:zlib in '@forger/data/node').

export const MAT5_HEADER_BYTES = 128;

/** Data element types (Table 1-1). */
export const MAT5_TYPES = {
  miINT8: 1,
  miUINT8: 2,
  miINT16: 3,
  miUINT16: 4,
  miINT32: 5,
  miUINT32: 6,
  miSINGLE: 7,
  miDOUBLE: 9,
  miINT64: 12,
  miUINT64: 13,
  miMATRIX: 14,
  miCOMPRESSED: 15,
  miUTF8: 16,
  miUTF16: 17,
  miUTF32: 18,
} as const;

/** The numeric element types: bytes per value. */
const NUMERIC_TYPE_BYTES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };
const TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(MAT5_TYPES).map(([name, type]) => [type, name]));

/** MATLAB array classes (Table 1-3), by the number stored in the array flags. */
export const MAT5_CLASSES = [
  undefined,
  'cell',
  'struct',
  'object',
  'char',
  'sparse',
  'double',
  'single',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
] as const;
export type Mat5ClassName = Exclude<(typeof MAT5_CLASSES)[number], undefined>;
const NUMERIC_CLASSES: ReadonlySet<Mat5ClassName> = new Set(['double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

/** Array flags bits (the flags byte of the first uint32). */
const FLAG_COMPLEX = 0x08;

/** A numeric array's real part as stored: MATLAB may store a double array as miUINT8 when its values fit. */
export interface Mat5NumericData {
  /** miUINT8, miDOUBLE, … */
  type: string;
  /** The stored values, a view into the file (or the inflated buffer): no copy. */
  bytes: Uint8Array;
  littleEndian: boolean;
  count: number;
}

export interface Mat5Array {
  name: string;
  className: Mat5ClassName;
  /** As stored, column-major: MATLAB's first dimension varies fastest. */
  dims: number[];
  /** The real part of a numeric, non-complex, non-sparse array; undefined for cells, structs, chars, sparse arrays. */
  real?: Mat5NumericData;
}

export interface Mat5ReadOptions {
  /**
   * Inflates a zlib stream (an miCOMPRESSED element) to at most `maxBytes` bytes. Throw an error whose `code` is
   * 'ERR_BUFFER_TOO_LARGE' (as node:zlib's `inflateSync(bytes, { maxOutputLength })` does) when the output would be
   * larger. Without it, a compressed file is refused.
   */
  inflate?: (compressed: Uint8Array, maxBytes: number) => Uint8Array;
  /** The most bytes one miCOMPRESSED element may inflate to; default 512 MiB (SVHN train's `X` is 216 MiB). */
  maxInflatedBytes?: number;
}

export const MAT5_DEFAULT_MAX_INFLATED_BYTES = 512 * 1024 * 1024;

/** The byte order and version of a MAT-file header; a DataError unless it is Level 5. */
export function readMat5Header(bytes: Uint8Array, where: string): { littleEndian: boolean } {
  if (bytes.length < MAT5_HEADER_BYTES) {
    throw new DataError('truncated', 'the file is shorter than a MAT-file header', {
      file: where,
      expected: `at least ${MAT5_HEADER_BYTES} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  // The writer stores the characters 'MI' as one 16-bit number in its own byte order: 'IM' on disk is little-endian.
  const marker = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (marker !== 'IM' && marker !== 'MI') {
    throw new DataError('bad-magic', 'not a MATLAB Level 5 MAT-file', {
      file: where,
      expected: "the endian indicator 'IM' or 'MI' at bytes 126-127",
      found: `${hex(bytes[126]!)} ${hex(bytes[127]!)}`,
    });
  }
  const littleEndian = marker === 'IM';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(124, littleEndian);
  if (version !== 0x0100) {
    throw new DataError('unsupported-type', version === 0x0200 ? 'a MATLAB v7.3 (HDF5) MAT-file, not Level 5' : 'an unknown MAT-file version', {
      file: where,
      expected: "version 0x0100 (MATLAB 5 to 7; re-save v7.3 files with save(..., '-v7'))",
      found: `version 0x${version.toString(16).padStart(4, '0')}`,
    });
  }
  return { littleEndian };
}

/**
 * Every variable of a Level 5 MAT-file, by name, in file order. Numeric data stays a view into `bytes` (or into the
 * inflated buffer of a compressed variable). Strict: an element that runs past its container, an unknown element
 * type, a complex array or a duplicated name is a DataError naming the byte offset.
 */
export function readMat5(bytes: Uint8Array, where: string, options: Mat5ReadOptions = {}): Map<string, Mat5Array> {
  const { littleEndian } = readMat5Header(bytes, where);
  const maxInflated = options.maxInflatedBytes ?? MAT5_DEFAULT_MAX_INFLATED_BYTES;
  const variables = new Map<string, Mat5Array>();
  const add = (array: Mat5Array | undefined): void => {
    if (array === undefined) return;
    if (variables.has(array.name)) {
      throw new DataError('bad-element', `the variable '${array.name}' appears twice`, { file: where, expected: 'unique variable names', found: `'${array.name}' twice` });
    }
    variables.set(array.name, array);
  };
  const top = new ElementReader(bytes, MAT5_HEADER_BYTES, bytes.length, littleEndian, where, 'file');
  while (!top.done()) {
    const element = top.next();
    if (element.type === MAT5_TYPES.miCOMPRESSED) {
      const inflated = inflateElement(element, options.inflate, maxInflated, where);
      const inner = new ElementReader(inflated, 0, inflated.length, littleEndian, `${where} (compressed element at byte ${element.offset})`, 'compressed element');
      while (!inner.done()) {
        const child = inner.next();
        if (child.type !== MAT5_TYPES.miMATRIX) throw unexpectedType(child, 'miMATRIX inside miCOMPRESSED', inner.where);
        add(readMatrix(child, littleEndian, inner.where));
      }
    } else if (element.type === MAT5_TYPES.miMATRIX) {
      add(readMatrix(element, littleEndian, where));
    } else {
      throw unexpectedType(element, 'miMATRIX or miCOMPRESSED at the top level', where);
    }
  }
  return variables;
}

/** The values of a numeric array as float64 (labels, small arrays; for large uint8 arrays use `real.bytes`). */
export function mat5Numbers(array: Mat5Array, where: string): Float64Array {
  const real = array.real;
  if (real === undefined) {
    throw new DataError('bad-class', `the variable '${array.name}' is not a numeric array`, { file: where, expected: 'a numeric array', found: `class ${array.className}` });
  }
  const view = new DataView(real.bytes.buffer, real.bytes.byteOffset, real.bytes.byteLength);
  const out = new Float64Array(real.count);
  const le = real.littleEndian;
  const read: (i: number) => number = {
    miINT8: (i: number) => view.getInt8(i),
    miUINT8: (i: number) => view.getUint8(i),
    miINT16: (i: number) => view.getInt16(2 * i, le),
    miUINT16: (i: number) => view.getUint16(2 * i, le),
    miINT32: (i: number) => view.getInt32(4 * i, le),
    miUINT32: (i: number) => view.getUint32(4 * i, le),
    miSINGLE: (i: number) => view.getFloat32(4 * i, le),
    miDOUBLE: (i: number) => view.getFloat64(8 * i, le),
    miINT64: (i: number) => Number(view.getBigInt64(8 * i, le)),
    miUINT64: (i: number) => Number(view.getBigUint64(8 * i, le)),
  }[real.type]!;
  for (let i = 0; i < real.count; i++) out[i] = read(i);
  return out;
}

interface Element {
  type: number;
  /** Where the element's tag starts, in its container. */
  offset: number;
  data: Uint8Array;
}

/** Walks the data elements of one container (the file after its header, an inflated stream, a matrix's body). */
class ElementReader {
  private position: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
    private readonly littleEndian: boolean,
    readonly where: string,
    private readonly container: string,
  ) {
    this.position = start;
  }

  done(): boolean {
    return this.position >= this.end;
  }

  next(): Element {
    const offset = this.position;
    const left = this.end - offset;
    if (left < 8) {
      throw new DataError('truncated', `the ${this.container} ends inside a data element's tag`, {
        file: this.where,
        expected: `an 8-byte tag at byte ${offset}`,
        found: `${left} bytes`,
      });
    }
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const first = view.getUint32(offset, this.littleEndian);
    // Small data element format: the upper 16 bits of the first word are the byte count (1..4), the data sits in
    // the tag's second word.
    const smallBytes = first >>> 16;
    if (smallBytes !== 0) {
      const type = first & 0xffff;
      if (smallBytes > 4) {
        throw new DataError('bad-element', 'a small data element claims more than 4 bytes', {
          file: this.where,
          expected: 'at most 4 bytes of data in a small element',
          found: `${smallBytes} bytes (type ${type}) at byte ${offset}`,
        });
      }
      this.position = offset + 8;
      return { type, offset, data: this.bytes.subarray(offset + 4, offset + 4 + smallBytes) };
    }
    const type = first;
    const size = view.getUint32(offset + 4, this.littleEndian);
    if (size > left - 8) {
      throw new DataError('truncated', `a data element runs past the end of its ${this.container}`, {
        file: this.where,
        expected: `${size} bytes of ${TYPE_NAMES[type] ?? `type ${type}`} data after the tag at byte ${offset}`,
        found: `${left - 8} bytes`,
      });
    }
    // Every element but a compressed one is padded to a multiple of 8 bytes.
    const padded = type === MAT5_TYPES.miCOMPRESSED ? size : Math.ceil(size / 8) * 8;
    this.position = Math.min(this.end, offset + 8 + padded);
    return { type, offset, data: this.bytes.subarray(offset + 8, offset + 8 + size) };
  }
}

function inflateElement(element: Element, inflate: Mat5ReadOptions['inflate'], maxBytes: number, where: string): Uint8Array {
  if (inflate === undefined) {
    throw new DataError('unsupported-type', 'the file holds compressed variables and no inflate function was given', {
      file: where,
      expected: "options.inflate (loadDataset in '@forger/data/node' passes node:zlib)",
      found: `an miCOMPRESSED element at byte ${element.offset}`,
    });
  }
  let inflated: Uint8Array;
  try {
    inflated = inflate(element.data, maxBytes);
  } catch (error) {
    if ((error as { code?: unknown } | undefined)?.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataError('too-large', 'a compressed variable inflates to more than the limit', {
        file: where,
        expected: `at most ${maxBytes} bytes (maxInflatedBytes)`,
        found: `more, from the miCOMPRESSED element at byte ${element.offset}`,
        cause: error,
      });
    }
    throw new DataError('bad-compressed', 'a compressed variable cannot be inflated (truncated or corrupt download?)', {
      file: where,
      expected: `a complete zlib stream of ${element.data.length} bytes at byte ${element.offset + 8}`,
      found: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  if (inflated.length > maxBytes) {
    throw new DataError('too-large', 'a compressed variable inflates to more than the limit', {
      file: where,
      expected: `at most ${maxBytes} bytes (maxInflatedBytes)`,
      found: `${inflated.length} bytes`,
    });
  }
  return inflated;
}

/** An miMATRIX element: array flags, dimensions, name, then (numeric classes) the real part. Empty → undefined. */
function readMatrix(element: Element, littleEndian: boolean, where: string): Mat5Array | undefined {
  if (element.data.length === 0) return undefined; // an empty miMATRIX stands for an empty array with no name
  const body = new ElementReader(element.data, 0, element.data.length, littleEndian, where, `miMATRIX at byte ${element.offset}`);
  const subelement = (what: string, types: readonly number[]): Element => {
    if (body.done()) {
      throw new DataError('truncated', `a matrix ends before its ${what}`, { file: where, expected: `the ${what} subelement`, found: `end of the miMATRIX at byte ${element.offset}` });
    }
    const sub = body.next();
    if (!types.includes(sub.type)) throw unexpectedType(sub, `${types.map((t) => TYPE_NAMES[t]).join(' or ')} (${what})`, where);
    return sub;
  };
  const flags = subelement('array flags', [MAT5_TYPES.miUINT32]);
  if (flags.data.length !== 8) {
    throw new DataError('bad-element', 'array flags are two uint32 words', { file: where, expected: '8 bytes', found: `${flags.data.length} bytes at byte ${element.offset}` });
  }
  const flagsWord = new DataView(flags.data.buffer, flags.data.byteOffset, 8).getUint32(0, littleEndian);
  const classNumber = flagsWord & 0xff;
  const className = MAT5_CLASSES[classNumber];
  if (className === undefined) {
    throw new DataError('bad-class', 'an unknown MATLAB array class', { file: where, expected: 'a class number 1..15', found: `${classNumber} in the miMATRIX at byte ${element.offset}` });
  }
  const dimsElement = subelement('dimensions', [MAT5_TYPES.miINT32]);
  if (dimsElement.data.length < 8 || dimsElement.data.length % 4 !== 0) {
    throw new DataError('bad-shape', 'a matrix has at least two int32 dimensions', { file: where, expected: 'a multiple of 4 bytes, at least 8', found: `${dimsElement.data.length} bytes` });
  }
  const dimsView = new DataView(dimsElement.data.buffer, dimsElement.data.byteOffset, dimsElement.data.byteLength);
  const dims = Array.from({ length: dimsElement.data.length / 4 }, (_, i) => dimsView.getInt32(4 * i, littleEndian));
  if (dims.some((d) => d < 0)) {
    throw new DataError('bad-shape', 'a negative dimension', { file: where, expected: 'dimensions ≥ 0', found: `[${dims.join(', ')}]` });
  }
  const nameElement = subelement('name', [MAT5_TYPES.miINT8, MAT5_TYPES.miUINT8, MAT5_TYPES.miUTF8]);
  const name = new TextDecoder('utf-8').decode(nameElement.data);
  const array: Mat5Array = { name, className, dims };
  if (!NUMERIC_CLASSES.has(className)) return array;
  if ((flagsWord >>> 8) & FLAG_COMPLEX) {
    throw new DataError('unsupported-type', `the variable '${name}' is complex`, { file: where, expected: 'a real array', found: 'a complex one' });
  }
  const realElement = subelement('real part', Object.keys(NUMERIC_TYPE_BYTES).map(Number));
  const width = NUMERIC_TYPE_BYTES[realElement.type]!;
  const count = dims.reduce((a, b) => a * b, 1);
  if (realElement.data.length !== count * width) {
    throw new DataError('bad-element', `the data of '${name}' does not match its dimensions`, {
      file: where,
      expected: `${count} values (${dims.join('×')}) of ${width} bytes = ${count * width} bytes`,
      found: `${realElement.data.length} bytes of ${TYPE_NAMES[realElement.type]}`,
    });
  }
  array.real = { type: TYPE_NAMES[realElement.type]!, bytes: realElement.data, littleEndian, count };
  return array;
}

function unexpectedType(element: Element, expected: string, where: string): DataError {
  return new DataError('bad-element', 'an unexpected data element', {
    file: where,
    expected,
    found: `${TYPE_NAMES[element.type] ?? `unknown type ${element.type}`} at byte ${element.offset}`,
  });
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
