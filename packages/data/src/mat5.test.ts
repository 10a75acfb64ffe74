import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAT5_TYPES, mat5Numbers, readMat5, readMat5Header } from './mat5.js';
import { element, mat5Header, writeMat5 } from './test-support/mat5-writer.js';
import { thrown } from './test-support/thrown.js';

const inflate = (bytes: Uint8Array, maxBytes: number): Uint8Array => inflateSync(bytes, { maxOutputLength: maxBytes });

/** Bytes from a hex string ("4d 49 …"). */
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(hex.trim().split(/\s+/).map((h) => Number.parseInt(h, 16)));

/** A header written byte by byte, not by the writer under test: text, 8 zero bytes, version, endian indicator. */
function handHeader(versionAndMarker: string): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  header.set(new TextEncoder().encode('MATLAB 5.0 MAT-file'), 0);
  header.fill(0, 116, 124);
  header.set(hexBytes(versionAndMarker), 124);
  return header;
}

describe('readMat5Header', () => {
  it("bytes 124-127 '00 01 49 4d' (version 0x0100, 'IM'): little-endian", () => {
    expect(readMat5Header(handHeader('00 01 49 4d'), 'le.mat')).toEqual({ littleEndian: true });
  });

  it("bytes 124-127 '01 00 4d 49' (version 0x0100, 'MI'): big-endian", () => {
    expect(readMat5Header(handHeader('01 00 4d 49'), 'be.mat')).toEqual({ littleEndian: false });
  });

  it('the test writer writes the same bytes', () => {
    expect(Array.from(mat5Header(false).subarray(124))).toEqual([0x00, 0x01, 0x49, 0x4d]);
    expect(Array.from(mat5Header(true).subarray(124))).toEqual([0x01, 0x00, 0x4d, 0x49]);
  });

  it('no endian indicator (a MATLAB v4 file, or not a MAT-file): bad-magic', () => {
    const error = thrown(() => readMat5Header(handHeader('00 01 00 00'), 'v4.mat'));
    expect(error.code).toBe('bad-magic');
    expect(error.message).toContain('v4.mat');
    expect(error.found).toBe('0x00 0x00');
  });

  it('version 0x0200 (MATLAB v7.3, HDF5): unsupported-type, and says how to re-save', () => {
    const error = thrown(() => readMat5Header(handHeader('00 02 49 4d'), 'v73.mat'));
    expect(error.code).toBe('unsupported-type');
    expect(error.message).toContain('v7.3');
    expect(error.expected).toContain('-v7');
  });

  it('shorter than 128 bytes: truncated', () => {
    const error = thrown(() => readMat5Header(handHeader('00 01 49 4d').subarray(0, 100), 'short.mat'));
    expect(error.code).toBe('truncated');
    expect(error.found).toBe('100 bytes');
  });
});

describe('readMat5: data elements', () => {
  it('a hand-written little-endian file: miMATRIX with a small-element name and a 3×1 double vector', () => {
    const le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
    const f64 = (v: number) => Array.from(new Uint8Array(new Float64Array([v]).buffer));
    const body = [
      ...le(6), ...le(8), ...le(6), ...le(0), // array flags: miUINT32, 8 bytes: class 6 (double), nzmax 0
      ...le(5), ...le(8), ...le(3), ...le(1), // dimensions: miINT32, 8 bytes: [3, 1]
      ...le((1 << 16) | 1), 0x79, 0, 0, 0, // name: small element, 1 byte of miINT8: 'y'
      ...le(9), ...le(24), ...f64(1), ...f64(10), ...f64(5), // real part: miDOUBLE, 24 bytes
    ];
    const file = new Uint8Array([...handHeader('00 01 49 4d'), ...le(14), ...le(body.length), ...body]);
    const variables = readMat5(file, 'hand.mat');
    expect([...variables.keys()]).toEqual(['y']);
    const y = variables.get('y')!;
    expect(y).toMatchObject({ name: 'y', className: 'double', dims: [3, 1], real: { type: 'miDOUBLE', count: 3 } });
    expect(Array.from(mat5Numbers(y, 'hand.mat'))).toEqual([1, 10, 5]);
  });

  for (const bigEndian of [false, true]) {
    for (const compressed of [false, true]) {
      it(`${bigEndian ? 'big' : 'little'}-endian, ${compressed ? 'miCOMPRESSED' : 'uncompressed'}: every variable, its class, dims and values`, () => {
        const file = writeMat5(
          [
            { name: 'X', className: 'uint8', dims: [2, 3], values: [1, 2, 3, 4, 5, 255] },
            { name: 'labels', className: 'double', dims: [1, 4], values: [1.5, -2, 1e10, 0] },
            { name: 'small', className: 'double', dims: [2, 1], values: [7, 10], storedAs: 'miUINT8' },
            { name: 'w', className: 'int16', dims: [3, 1], values: [-300, 0, 300] },
          ],
          { bigEndian, compressed },
        );
        const variables = readMat5(file, 'v.mat', { inflate });
        expect([...variables.keys()]).toEqual(['X', 'labels', 'small', 'w']);
        expect(variables.get('X')).toMatchObject({ className: 'uint8', dims: [2, 3], real: { type: 'miUINT8', count: 6 } });
        expect(Array.from(variables.get('X')!.real!.bytes)).toEqual([1, 2, 3, 4, 5, 255]);
        expect(Array.from(mat5Numbers(variables.get('labels')!, 'v.mat'))).toEqual([1.5, -2, 1e10, 0]);
        // MATLAB stores a double array in a smaller type when its values fit: the class stays double.
        expect(variables.get('small')).toMatchObject({ className: 'double', real: { type: 'miUINT8' } });
        expect(Array.from(mat5Numbers(variables.get('small')!, 'v.mat'))).toEqual([7, 10]);
        expect(Array.from(mat5Numbers(variables.get('w')!, 'v.mat'))).toEqual([-300, 0, 300]);
      });
    }
  }

  it('non-numeric classes are listed without data; mat5Numbers on one is bad-class', () => {
    const variables = readMat5(writeMat5([{ name: 'c', className: 'cell', dims: [1, 1] }]), 'cell.mat');
    expect(variables.get('c')).toEqual({ name: 'c', className: 'cell', dims: [1, 1] });
    expect(thrown(() => mat5Numbers(variables.get('c')!, 'cell.mat')).code).toBe('bad-class');
  });

  it('a compressed file without an inflate function: unsupported-type, naming the option', () => {
    const file = writeMat5([{ name: 'X', className: 'uint8', dims: [1, 1], values: [1] }], { compressed: true });
    const error = thrown(() => readMat5(file, 'z.mat'));
    expect(error.code).toBe('unsupported-type');
    expect(error.expected).toContain('inflate');
  });

  it('truncated anywhere after the header: a DataError (truncated or bad-compressed), never a RangeError', () => {
    for (const compressed of [false, true]) {
      const file = writeMat5([{ name: 'X', className: 'uint8', dims: [4, 4], values: new Uint8Array(16).fill(9) }], { compressed });
      for (let cut = 129; cut < file.length; cut++) {
        const error = thrown(() => readMat5(file.subarray(0, cut), 'cut.mat', { inflate }));
        expect(['truncated', 'bad-compressed', 'bad-element']).toContain(error.code);
        expect(error.message).toContain('cut.mat');
      }
    }
  });

  it('a truncated download of a compressed file: bad-compressed with zlib\'s reason', () => {
    const file = writeMat5([{ name: 'X', className: 'uint8', dims: [64, 64], values: new Uint8Array(4096).map((_, i) => i * 31) }], { compressed: true });
    // Cut inside the zlib stream but fix the tag's size so the element itself is whole: zlib must notice.
    const cut = file.slice(0, file.length - 20);
    new DataView(cut.buffer).setUint32(132, cut.length - 136, true);
    const error = thrown(() => readMat5(cut, 'partial.mat', { inflate }));
    expect(error.code).toBe('bad-compressed');
    expect(error.found).toContain('unexpected end of file');
  });

  it('a compressed variable that inflates past maxInflatedBytes: too-large, and zlib stops at the cap', () => {
    const file = writeMat5([{ name: 'X', className: 'uint8', dims: [1000, 1000], values: new Uint8Array(1_000_000) }], { compressed: true });
    expect(file.length).toBeLessThan(5000); // a million zeros deflate to almost nothing: a zip bomb in miniature
    let largest = 0;
    const capped = (bytes: Uint8Array, max: number) => {
      largest = max;
      return inflate(bytes, max);
    };
    const error = thrown(() => readMat5(file, 'bomb.mat', { inflate: capped, maxInflatedBytes: 64 * 1024 }));
    expect(error.code).toBe('too-large');
    expect(largest).toBe(64 * 1024);
    expect(readMat5(file, 'bomb.mat', { inflate }).get('X')!.real!.count).toBe(1_000_000);
  });

  it('an inflate function that ignores the cap is still caught', () => {
    const file = writeMat5([{ name: 'X', className: 'uint8', dims: [100, 1], values: new Uint8Array(100) }], { compressed: true });
    const error = thrown(() => readMat5(file, 'big.mat', { inflate: (b) => inflateSync(b), maxInflatedBytes: 50 }));
    expect(error.code).toBe('too-large');
  });

  it('data whose size disagrees with the dimensions: bad-element', () => {
    const file = writeMat5([{ name: 'X', className: 'uint8', dims: [2, 3], values: [1, 2, 3, 4, 5] }]);
    const error = thrown(() => readMat5(file, 'short-data.mat'));
    expect(error.code).toBe('bad-element');
    expect(error.expected).toContain('6 values');
    expect(error.found).toContain('5 bytes');
  });

  it('a complex array: unsupported-type', () => {
    const file = writeMat5([{ name: 'z', className: 'double', dims: [1, 1], values: [1], complex: true }]);
    expect(thrown(() => readMat5(file, 'complex.mat')).code).toBe('unsupported-type');
  });

  it('an unknown class number: bad-class', () => {
    const file = writeMat5([{ name: 'q', className: 'double', dims: [1, 1], values: [1] }]);
    file[128 + 8 + 8] = 42; // the class byte of the array flags
    const error = thrown(() => readMat5(file, 'class.mat'));
    expect(error.code).toBe('bad-class');
    expect(error.found).toContain('42');
  });

  it('a top-level element that is not a matrix: bad-element', () => {
    const file = new Uint8Array([...mat5Header(), ...element(MAT5_TYPES.miDOUBLE, new Uint8Array(8), true)]);
    const error = thrown(() => readMat5(file, 'loose.mat'));
    expect(error.code).toBe('bad-element');
    expect(error.found).toContain('miDOUBLE at byte 128');
  });

  it('a small element claiming more than 4 bytes: bad-element', () => {
    const file = new Uint8Array([...mat5Header(), 0x02, 0x00, 0x07, 0x00, 1, 2, 3, 4]);
    expect(thrown(() => readMat5(file, 'small.mat')).code).toBe('bad-element');
  });

  it('the same variable name twice: bad-element', () => {
    const v = { name: 'X', className: 'uint8' as const, dims: [1, 1], values: [1] };
    expect(thrown(() => readMat5(writeMat5([v, v]), 'twice.mat')).code).toBe('bad-element');
  });

  it('a compressed stream holding something other than a matrix: bad-element', () => {
    const inner = element(MAT5_TYPES.miUINT8, new Uint8Array(8), true);
    const file = new Uint8Array([...mat5Header(), ...element(MAT5_TYPES.miCOMPRESSED, deflateSync(inner), true, false)]);
    expect(thrown(() => readMat5(file, 'odd.mat', { inflate })).code).toBe('bad-element');
  });
});
