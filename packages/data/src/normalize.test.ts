import { describe, expect, it } from 'vitest';
import { toFloatBatch, toUint8Images } from './normalize.js';

describe('toFloatBatch', () => {
  const bytes = Uint8Array.of(0, 51, 255, 128);

  it('maps 0..255 to [-1, 1] for tanh generators', () => {
    const values = toFloatBatch(bytes, 'minus-one-one');
    expect(values).toBeInstanceOf(Float32Array);
    expect(values[0]).toBe(-1);
    expect(values[2]).toBe(1);
    expect(values[3]).toBeCloseTo(128 / 127.5 - 1, 6);
  });

  it('maps 0..255 to [0, 1] for sigmoid generators', () => {
    const values = toFloatBatch(bytes, 'zero-one');
    expect(values[0]).toBe(0);
    expect(values[1]).toBeCloseTo(0.2, 6);
    expect(values[2]).toBe(1);
  });

  it('writes into a caller buffer and leaves the bytes alone', () => {
    const out = new Float32Array(4);
    expect(toFloatBatch(bytes, 'zero-one', out)).toBe(out);
    expect(Array.from(bytes)).toEqual([0, 51, 255, 128]);
    expect(() => toFloatBatch(bytes, 'zero-one', new Float32Array(3))).toThrow(/4 floats/);
  });
});

describe('toUint8Images', () => {
  it('inverts toFloatBatch exactly for every byte, in both ranges', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toUint8Images(toFloatBatch(all, 'minus-one-one'), 'minus-one-one')).toEqual(all);
    expect(toUint8Images(toFloatBatch(all, 'zero-one'), 'zero-one')).toEqual(all);
  });

  it('clamps generator output outside the range, and NaN to 0', () => {
    expect(Array.from(toUint8Images(Float32Array.of(-1.5, 1.5, Number.NaN), 'minus-one-one'))).toEqual([0, 255, 0]);
  });
});
