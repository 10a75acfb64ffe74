import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { decodeFloat16, encodeFloat16, float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

describe('float16', () => {
  it('encodes the IEEE reference values bit-exactly', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff], // largest finite half
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // halfway to the smallest subnormal: ties to even (0)
      [1.5 * 2 ** -25, 0x0001],
      [65520, 0x7c00], // rounds up past the largest finite half: +Infinity
      [1e6, 0x7c00],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [1 + 2 ** -11, 0x3c00], // tie between 1 and 1+2^-10: even mantissa (1)
      [1 + 3 * 2 ** -11, 0x3c02], // tie between 1+2^-10 and 1+2^-9: even mantissa (1+2^-9)
      [0.1, 0x2e66],
    ];
    for (const [x, bits] of cases) expect(float32ToFloat16Bits(x), `float16(${x})`).toBe(bits);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(Number.NaN)))).toBe(true);
    expect(float16BitsToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16BitsToFloat32(0x7bff)).toBe(65504);
    expect(float16BitsToFloat32(0xfc00)).toBe(-Infinity);
  });

  it('round-trips every one of the 65536 half values exactly (NaN stays NaN)', () => {
    let mismatches = 0;
    for (let h = 0; h < 0x10000; h++) {
      const x = float16BitsToFloat32(h);
      if (Number.isNaN(x)) {
        if (!Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(x)))) mismatches++;
      } else if (float32ToFloat16Bits(x) !== h) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('has relative error ≤ 2^-11 in the normal range (measured on 100k weights)', () => {
    const rng = Rng.fromSeed(11);
    // A realistic weight tensor: N(0, 0.02) as DCGAN initialises, plus a wider spread.
    const values = new Float32Array(100_000);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * (i % 2 === 0 ? 0.02 : 3);
    const back = decodeFloat16(encodeFloat16(values));
    let maxRel = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Math.abs(v) < 2 ** -14) continue; // subnormal halves have absolute, not relative, precision
      maxRel = Math.max(maxRel, Math.abs(back[i]! - v) / Math.abs(v));
    }
    expect(maxRel).toBeLessThanOrEqual(2 ** -11);
    expect(maxRel).toBeGreaterThan(2 ** -12); // the bound is tight, so the test measures something
  });

  it('has absolute error ≤ 2^-25 for subnormal halves', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i - 500) * 2 ** -32);
    const back = decodeFloat16(encodeFloat16(values));
    for (let i = 0; i < values.length; i++) expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(2 ** -25);
  });

  it('writes little-endian bytes', () => {
    expect([...encodeFloat16(Float32Array.of(1, -2))]).toEqual([0x00, 0x3c, 0x00, 0xc0]);
  });
});
