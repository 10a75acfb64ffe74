import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_BYTES, cifar10FromBatches, parseCifar10Batch } from './cifar10.js';
import { thrown } from './test-support/thrown.js';

/** One 3073-byte record: label, then R, G, B planes where the pixel (y, x) of plane c is (c·50 + y + x) mod 256. */
function record(label: number): Uint8Array {
  const bytes = new Uint8Array(CIFAR10_RECORD_BYTES);
  bytes[0] = label;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) bytes[1 + c * 1024 + y * 32 + x] = (c * 50 + y + x) % 256;
    }
  }
  return bytes;
}

function batchOf(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, i) => bytes.set(record(label), i * CIFAR10_RECORD_BYTES));
  return bytes;
}

describe('parseCifar10Batch', () => {
  it('reads the label byte and turns the R, G, B planes into interleaved NHWC pixels', () => {
    const batch = parseCifar10Batch(batchOf([3, 9]), 'data_batch_1.bin');
    expect(batch.count).toBe(2);
    expect(Array.from(batch.labels)).toEqual([3, 9]);
    expect(batch.images.length).toBe(2 * 32 * 32 * 3);
    // Second image, row 5, column 7: R = 12, G = 62, B = 112.
    const at = (1 * 32 * 32 + 5 * 32 + 7) * 3;
    expect(Array.from(batch.images.subarray(at, at + 3))).toEqual([12, 62, 112]);
  });

  it('names the classes airplane … truck', () => {
    expect(CIFAR10_CLASS_NAMES).toHaveLength(10);
    expect(CIFAR10_CLASS_NAMES[0]).toBe('airplane');
    expect(CIFAR10_CLASS_NAMES[3]).toBe('cat');
    expect(CIFAR10_CLASS_NAMES[9]).toBe('truck');
  });

  it('wrong record size: a file that is not a whole number of 3073-byte records', () => {
    const error = thrown(() => parseCifar10Batch(batchOf([1, 2]).subarray(0, 2 * 3073 - 100), 'test_batch.bin'));
    expect(error.code).toBe('record-size');
    expect(error.file).toBe('test_batch.bin');
    expect(error.found).toContain('6046 bytes');
    expect(error.message).toContain('test_batch.bin');
  });

  it('an empty file', () => {
    expect(thrown(() => parseCifar10Batch(new Uint8Array(0), 'empty.bin')).code).toBe('record-size');
  });

  it('a label byte outside 0..9 (e.g. a CIFAR-100 file, whose records are 3074 bytes with two labels)', () => {
    const error = thrown(() => parseCifar10Batch(batchOf([1, 42]), 'data_batch_3.bin'));
    expect(error.code).toBe('bad-label');
    expect(error.found).toContain('42');
  });
});

describe('cifar10FromBatches', () => {
  it('joins the files in order into one split with the CIFAR-10 classes', () => {
    const ds = cifar10FromBatches(
      [
        { bytes: batchOf([0, 1]), file: 'a.bin' },
        { bytes: batchOf([2, 3]).slice().buffer, file: 'b.bin' },
      ],
      'train',
      2,
    );
    expect(ds.count).toBe(4);
    expect(ds.image).toEqual({ height: 32, width: 32, channels: 3 });
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 3]);
    expect(ds.classNames[2]).toBe('bird');
  });

  it('catches a file cut at a record boundary: the official files hold 10,000 records each', () => {
    const error = thrown(() => cifar10FromBatches([{ bytes: batchOf([0, 1, 2]), file: 'data_batch_2.bin' }], 'train'));
    expect(error.code).toBe('count-mismatch');
    expect(error.file).toBe('data_batch_2.bin');
    expect(error.expected).toContain('10000 records');
    expect(error.found).toContain('3 records');
  });
});
