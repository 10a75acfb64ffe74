import { describe, expect, test } from 'vitest';
import { Rng } from '@forger/core';
import type { RandomNoiseAttrs } from '@forger/models/kernels';
import { dropoutSimd, noiseOnHost } from './RandomNoise.js';
import { firstBitDifference } from '../test-support/kernel-check.js';

/** What the JavaScript path writes. */
function reference(a: RandomNoiseAttrs, values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  noiseOnHost(a, values, out);
  return out;
}

describe('dropoutSimd (dropout-mask.wat)', () => {
  test.each([256, 257, 258, 259, 1000, 128 * 256 + 3])('drops what the JavaScript path drops, bit for bit, %i values', (n) => {
    const rng = Rng.fromSeed(n);
    // negative values (a dropped one is −0), zeros and large values
    const values = Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : (rng.nextFloat() - 0.5) * (i % 5 === 0 ? 1e6 : 2)));
    for (const rate of [0, 0.1, 0.3, 0.5, 0.9]) {
      // seeds ≥ 2³¹ go to wasm as negative i32: the same bits
      for (const seed of [0, 1, 12345, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, rng.int(2 ** 32)]) {
        const a: RandomNoiseAttrs = { kind: 'dropout', rate, seed };
        const out = new Float32Array(n);
        expect(dropoutSimd(a, values, out)).toBe(true);
        expect(firstBitDifference(out, reference(a, values))).toBe(-1);
      }
    }
  });

  test('keeps 1 − rate of the values, each scaled by 1 / (1 − rate)', () => {
    const n = 100_000;
    const out = new Float32Array(n);
    dropoutSimd({ kind: 'dropout', rate: 0.3, seed: 99 }, new Float32Array(n).fill(1), out);
    const kept = out.filter((v) => v !== 0);
    expect(Math.abs(kept.length / n - 0.7)).toBeLessThan(5 * Math.sqrt(0.21 / n));
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.7)]));
  });

  test('leaves Gaussian noise and small tensors to the JavaScript path (nothing written)', () => {
    const out = new Float32Array(1000).fill(7);
    expect(dropoutSimd({ kind: 'gaussian', rate: 0.3, seed: 1 }, new Float32Array(1000), out)).toBe(false);
    expect(dropoutSimd({ kind: 'dropout', rate: 0.3, seed: 1 }, new Float32Array(100), out.subarray(0, 100))).toBe(false);
    expect(out.every((v) => v === 7)).toBe(true);
  });
});
