import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { imageAt } from './dataset.js';
import { SVHN_CLASS_NAMES, svhnFromMat } from './svhn.js';
import { mat5Header, svhnMatFile, svhnPixel, writeMat5 } from './test-support/mat5-writer.js';
import { thrown } from './test-support/thrown.js';

const inflate = (bytes: Uint8Array, maxBytes: number): Uint8Array => inflateSync(bytes, { maxOutputLength: maxBytes });

describe('svhnFromMat', () => {
  for (const compressed of [false, true]) {
    for (const labelsAs of ['miDOUBLE', 'miUINT8'] as const) {
      it(`${compressed ? 'miCOMPRESSED' : 'uncompressed'}, y stored as ${labelsAs}: NHWC pixels, labels 10 → 0`, () => {
        const digits = [3, 0, 9, 1];
        const ds = svhnFromMat(svhnMatFile(digits, { compressed, labelsAs }), 'train', 'train_32x32.mat', { inflate });
        expect(ds.name).toBe('svhn');
        expect(ds.split).toBe('train');
        expect(ds.count).toBe(4);
        expect(ds.image).toEqual({ height: 32, width: 32, channels: 3 });
        expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        expect(Array.from(ds.labels)).toEqual([3, 0, 9, 1]);
        // Image 2, row 5, column 17: R, G, B as the writer put them in X(6, 18, :, 3) (MATLAB's 1-based indices).
        const pixel = imageAt(ds, 2).subarray((5 * 32 + 17) * 3, (5 * 32 + 17) * 3 + 3);
        expect(Array.from(pixel)).toEqual([svhnPixel(2, 5, 17, 0), svhnPixel(2, 5, 17, 1), svhnPixel(2, 5, 17, 2)]);
        // Rows and columns are not swapped: (row 1, col 0) differs from (row 0, col 1).
        expect(imageAt(ds, 0)[32 * 3]).toBe(svhnPixel(0, 1, 0, 0));
        expect(imageAt(ds, 0)[3]).toBe(svhnPixel(0, 0, 1, 0));
      });
    }
  }

  it('a big-endian file reads the same', () => {
    const ds = svhnFromMat(svhnMatFile([5, 6], { bigEndian: true, compressed: true }), 'test', 'test_32x32.mat', { inflate });
    expect(Array.from(ds.labels)).toEqual([5, 6]);
    expect(imageAt(ds, 1)[0]).toBe(svhnPixel(1, 0, 0, 0));
  });

  it('labels are uint8 class in some re-saved copies: accepted', () => {
    const ds = svhnFromMat(svhnMatFile([0, 4], { labelClass: 'uint8', labelsAs: 'miUINT8' }), 'test', 't.mat');
    expect(Array.from(ds.labels)).toEqual([0, 4]);
  });

  it('names the classes 0..9', () => {
    expect(SVHN_CLASS_NAMES).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('wrong variable names (e.g. the digitStruct of the full-numbers format): missing-variable, listing what is there', () => {
    const file = writeMat5([{ name: 'images', className: 'uint8', dims: [32, 32, 3, 1], values: new Uint8Array(3072) }]);
    const error = thrown(() => svhnFromMat(file, 'train', 'other.mat'));
    expect(error.code).toBe('missing-variable');
    expect(error.message).toContain("'X'");
    expect(error.found).toBe("'images'");
  });

  it('a file with no variables at all: missing-variable', () => {
    expect(thrown(() => svhnFromMat(mat5Header(), 'train', 'empty.mat')).found).toBe('no variables');
  });

  it('X of the wrong class: bad-class', () => {
    const file = writeMat5([
      { name: 'X', className: 'double', dims: [32, 32, 3, 1], values: new Float64Array(3072) },
      { name: 'y', className: 'double', dims: [1, 1], values: [1] },
    ]);
    const error = thrown(() => svhnFromMat(file, 'train', 'x.mat'));
    expect(error.code).toBe('bad-class');
    expect(error.found).toBe('class double stored as miDOUBLE');
  });

  it('y of a non-numeric class: bad-class', () => {
    const file = writeMat5([
      { name: 'X', className: 'uint8', dims: [32, 32, 3, 1], values: new Uint8Array(3072) },
      { name: 'y', className: 'cell', dims: [1, 1] },
    ]);
    expect(thrown(() => svhnFromMat(file, 'train', 'y.mat')).code).toBe('bad-class');
  });

  it('X of the wrong dims (e.g. grey 32×32×N): bad-shape', () => {
    const file = writeMat5([
      { name: 'X', className: 'uint8', dims: [32, 32, 2], values: new Uint8Array(2048) },
      { name: 'y', className: 'double', dims: [2, 1], values: [1, 2] },
    ]);
    const error = thrown(() => svhnFromMat(file, 'train', 'grey.mat'));
    expect(error.code).toBe('bad-shape');
    expect(error.found).toBe('[32, 32, 2]');
  });

  it('fewer labels than images: count-mismatch', () => {
    const file = writeMat5([
      { name: 'X', className: 'uint8', dims: [32, 32, 3, 2], values: new Uint8Array(6144) },
      { name: 'y', className: 'double', dims: [1, 1], values: [1] },
    ]);
    const error = thrown(() => svhnFromMat(file, 'train', 'few.mat'));
    expect(error.code).toBe('count-mismatch');
    expect(error.expected).toBe('[2, 1]');
  });

  for (const bad of [0, 11, 2.5, -1]) {
    it(`a label ${bad} outside 1..10: bad-label naming its index`, () => {
      const file = writeMat5([
        { name: 'X', className: 'uint8', dims: [32, 32, 3, 3], values: new Uint8Array(9216) },
        { name: 'y', className: 'double', dims: [3, 1], values: [1, bad, 10] },
      ]);
      const error = thrown(() => svhnFromMat(file, 'test', 'labels.mat'));
      expect(error.code).toBe('bad-label');
      expect(error.found).toBe(`${bad} at index 1`);
    });
  }

  it('a truncated file: truncated, naming the file', () => {
    const file = svhnMatFile([1, 2, 3]);
    const error = thrown(() => svhnFromMat(file.subarray(0, file.length - 1000), 'train', 'train_32x32.mat'));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('train_32x32.mat');
  });
});
