import { describe, expect, test } from 'vitest';
import { Rng } from '@forger/core';
import { adamUpdateSimd, adamUpdateValues, type FusedAdamAttrs } from './FusedAdamUpdate.js';
import { firstBitDifference } from '../test-support/kernel-check.js';

const attrs: FusedAdamAttrs[] = [
  { learningRate: 2e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 },
  { learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8 },
];

/** Values a user's run can hold: ordinary weights and gradients, with zeros, subnormals and large values mixed in. */
function values(rng: Rng, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pick = rng.int(20);
    out[i] = pick === 0 ? 0 : pick === 1 ? (rng.int(2) ? 1 : -1) * 1e-40 : pick === 2 ? (rng.nextFloat() - 0.5) * 1e6 : (rng.nextFloat() - 0.5) * scale;
  }
  return out;
}

describe('adamUpdateSimd (adam-update.wat)', () => {
  test.each([256, 257, 258, 259, 1000, 200_704 + 3])('gives adamUpdateValues bit for bit, %i values', (n) => {
    const rng = Rng.fromSeed(n);
    for (const a of attrs) {
      const w = values(rng, n, 0.2), g = values(rng, n, 0.05), m = values(rng, n, 0.01);
      const v = values(rng, n, 1e-4).map(Math.abs);
      // 1 − β^t after 1 and after 5,000 steps
      for (const correction of [new Float32Array([1 - a.beta1, 1 - a.beta2]), new Float32Array([1, Math.fround(1 - a.beta2 ** 5000)])]) {
        const expected = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
        adamUpdateValues(a, w, g, m, v, correction, ...expected);
        const actual = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
        expect(adamUpdateSimd(a, w, g, m, v, correction, ...actual)).toBe(true);
        actual.forEach((values, k) => expect(firstBitDifference(values, expected[k]!)).toBe(-1));
      }
    }
  });

  test('leaves its inputs as they were', () => {
    const rng = Rng.fromSeed(3);
    const [w, g, m, v] = [values(rng, 300, 1), values(rng, 300, 1), values(rng, 300, 1), values(rng, 300, 1).map(Math.abs)];
    const copies = [w, g, m, v].map((x) => x.slice());
    adamUpdateSimd(attrs[0]!, w, g, m, v, new Float32Array([0.5, 0.001]), new Float32Array(300), new Float32Array(300), new Float32Array(300));
    expect([w, g, m, v]).toEqual(copies);
  });

  test('leaves small arrays to the JavaScript loop (nothing written)', () => {
    const out = new Float32Array(8).fill(7);
    expect(adamUpdateSimd(attrs[0]!, new Float32Array(8), new Float32Array(8), new Float32Array(8), new Float32Array(8), new Float32Array([0.5, 0.001]), out, out, out)).toBe(false);
    expect(out).toEqual(new Float32Array(8).fill(7));
  });
});
