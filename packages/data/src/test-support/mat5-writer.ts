import { deflateSync } from 'node:zlib';
import { MAT5_CLASSES, MAT5_TYPES, type Mat5ClassName } from '../mat5.js';

// A small MATLAB Level 5 writer for tests, laid out as MATLAB writes (MAT-File Format, ch. 1): a 128-byte header,
// then one miMATRIX per variable (array flags, dimensions, name as a small element when ≤ 4 bytes, real part),
// each optionally wrapped in an miCOMPRESSED zlib stream as `save` does by default since MATLAB 7.

type NumericType = 'miINT8' | 'miUINT8' | 'miINT16' | 'miUINT16' | 'miINT32' | 'miUINT32' | 'miSINGLE' | 'miDOUBLE';
const WIDTH: Record<NumericType, number> = { miINT8: 1, miUINT8: 1, miINT16: 2, miUINT16: 2, miINT32: 4, miUINT32: 4, miSINGLE: 4, miDOUBLE: 8 };

export interface MatVariable {
  name: string;
  className: Mat5ClassName;
  dims: number[];
  /** Column-major values; none for cell/struct/char classes (written with no data). */
  values?: ArrayLike<number>;
  /** The element type of the real part; default the class's own (double → miDOUBLE, uint8 → miUINT8). */
  storedAs?: NumericType;
  complex?: boolean;
}

export interface MatWriteOptions {
  compressed?: boolean;
  bigEndian?: boolean;
}

const CLASS_TYPE: Partial<Record<Mat5ClassName, NumericType>> = {
  double: 'miDOUBLE',
  single: 'miSINGLE',
  int8: 'miINT8',
  uint8: 'miUINT8',
  int16: 'miINT16',
  uint16: 'miUINT16',
  int32: 'miINT32',
  uint32: 'miUINT32',
};

/** The 128-byte header: descriptive text, subsystem offset, version 0x0100, endian indicator. */
export function mat5Header(bigEndian = false, version = 0x0100): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  const text = 'MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Fri Dec  4 19:00:00 2026';
  for (let i = 0; i < text.length; i++) header[i] = text.charCodeAt(i);
  header.fill(0, 116, 124); // subsystem data offset: none
  const view = new DataView(header.buffer);
  view.setUint16(124, version, !bigEndian);
  view.setUint16(126, 0x4d49, !bigEndian); // 'M' << 8 | 'I': "IM" on disk when little-endian
  return header;
}

export function writeMat5(variables: readonly MatVariable[], options: MatWriteOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  const parts: Uint8Array[] = [mat5Header(options.bigEndian)];
  for (const variable of variables) {
    const matrix = element(MAT5_TYPES.miMATRIX, matrixBody(variable, le), le);
    parts.push(options.compressed ? element(MAT5_TYPES.miCOMPRESSED, deflateSync(matrix), le, false) : matrix);
  }
  return concat(parts);
}

function matrixBody(v: MatVariable, le: boolean): Uint8Array {
  const flags = new Uint8Array(8);
  const flagsView = new DataView(flags.buffer);
  flagsView.setUint32(0, ((v.complex ? 0x08 : 0) << 8) | MAT5_CLASSES.indexOf(v.className), le);
  const dims = new Uint8Array(4 * v.dims.length);
  v.dims.forEach((d, i) => new DataView(dims.buffer).setInt32(4 * i, d, le));
  const parts = [element(MAT5_TYPES.miUINT32, flags, le), element(MAT5_TYPES.miINT32, dims, le), element(MAT5_TYPES.miINT8, new TextEncoder().encode(v.name), le)];
  const type = v.storedAs ?? CLASS_TYPE[v.className];
  if (v.values !== undefined && type !== undefined) {
    parts.push(element(MAT5_TYPES[type], numbers(v.values, type, le), le));
    if (v.complex) parts.push(element(MAT5_TYPES[type], numbers(v.values, type, le), le));
  }
  return concat(parts);
}

function numbers(values: ArrayLike<number>, type: NumericType, le: boolean): Uint8Array {
  const width = WIDTH[type];
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = i * width;
    if (type === 'miINT8') view.setInt8(at, v);
    else if (type === 'miUINT8') view.setUint8(at, v);
    else if (type === 'miINT16') view.setInt16(at, v, le);
    else if (type === 'miUINT16') view.setUint16(at, v, le);
    else if (type === 'miINT32') view.setInt32(at, v, le);
    else if (type === 'miUINT32') view.setUint32(at, v, le);
    else if (type === 'miSINGLE') view.setFloat32(at, v, le);
    else view.setFloat64(at, v, le);
  }
  return out;
}

/** A data element: the small format for 1..4 bytes (not for miMATRIX/miCOMPRESSED), else an 8-byte tag, padded to 8. */
export function element(type: number, data: Uint8Array, le: boolean, pad = true): Uint8Array {
  if (data.length > 0 && data.length <= 4 && type !== MAT5_TYPES.miMATRIX && type !== MAT5_TYPES.miCOMPRESSED) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (data.length << 16) | type, le);
    out.set(data, 4);
    return out;
  }
  const padded = pad ? Math.ceil(data.length / 8) * 8 : data.length;
  const out = new Uint8Array(8 + padded);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, le);
  view.setUint32(4, data.length, le);
  out.set(data, 8);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * An SVHN-format file for `digits.length` images: image n's pixel (row, col, channel) is (n·7 + row·3 + col + 50·channel)
 * mod 256, written column-major into X[32, 32, 3, N]; y holds the digits as SVHN does (0 → 10).
 */
export function svhnMatFile(
  digits: readonly number[],
  options: MatWriteOptions & { labelsAs?: 'miDOUBLE' | 'miUINT8'; labelClass?: 'double' | 'uint8' } = {},
): Uint8Array {
  const n = digits.length;
  const x = new Uint8Array(32 * 32 * 3 * n);
  for (let img = 0; img < n; img++) {
    for (let c = 0; c < 3; c++) {
      for (let col = 0; col < 32; col++) {
        for (let row = 0; row < 32; row++) x[row + 32 * col + 1024 * c + 3072 * img] = svhnPixel(img, row, col, c);
      }
    }
  }
  return writeMat5(
    [
      { name: 'X', className: 'uint8', dims: [32, 32, 3, n], values: x },
      { name: 'y', className: options.labelClass ?? 'double', dims: [n, 1], values: digits.map((d) => (d === 0 ? 10 : d)), storedAs: options.labelsAs ?? 'miDOUBLE' },
    ],
    options,
  );
}

export function svhnPixel(image: number, row: number, col: number, channel: number): number {
  return (image * 7 + row * 3 + col + 50 * channel) % 256;
}
