import { describe, expect, it } from 'vitest';
import { Rng, RNG_ALGORITHM } from './rng.js';
import { RngError } from './rng-error.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for a neighbouring seed', () => {
    expect(draws(Rng.fromSeed(42), 8)).toEqual(draws(Rng.fromSeed(42), 8));
    const a = draws(Rng.fromSeed(42), 8);
    const b = draws(Rng.fromSeed(43), 8);
    expect(a.filter((x, i) => x === b[i])).toHaveLength(0);
    // Seeds beyond 32 bits and negative seeds are distinct seeds too.
    expect(draws(Rng.fromSeed(2 ** 32 + 42), 4)).not.toEqual(draws(Rng.fromSeed(42), 4));
    expect(draws(Rng.fromSeed(-1), 4)).not.toEqual(draws(Rng.fromSeed(2 ** 32 - 1), 4));
  });

  it('matches the xoshiro128** reference output for a known state', () => {
    // Reference: Vigna's xoshiro128starstar.c with s = {1, 2, 3, 4}.
    const rng = Rng.fromState({ algorithm: RNG_ALGORITHM, words: [1, 2, 3, 4] });
    expect(draws(rng, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('resumes from state() with the identical continuation, normal() included', () => {
    const rng = Rng.fromSeed(7);
    rng.normal();
    rng.nextFloat();
    const saved = JSON.parse(JSON.stringify(rng.state())) as ReturnType<Rng['state']>;
    const resumed = Rng.fromState(saved);
    const original = [rng.normal(), rng.nextFloat(), rng.int(1000), rng.normal()];
    const continued = [resumed.normal(), resumed.nextFloat(), resumed.int(1000), resumed.normal()];
    expect(continued).toEqual(original);
    expect(saved.words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true);
  });

  it('draws uniform floats in [0,1) with mean 1/2 and variance 1/12', () => {
    const rng = Rng.fromSeed(1);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.nextFloat();
      sum += x;
      sumSq += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // 5 standard errors: sd(mean) = sqrt(1/12/n) ≈ 0.0009.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const u = Rng.fromSeed(2).fillUniform(new Float32Array(10_000), -1, 1);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(1);
  });

  it('draws normals with mean 0, variance 1, and the right tails', () => {
    const out = Rng.fromSeed(3).fillNormal(new Float32Array(100_000));
    let sum = 0;
    let sumSq = 0;
    let beyond2 = 0;
    for (const x of out) {
      sum += x;
      sumSq += x * x;
      if (Math.abs(x) > 2) beyond2++;
    }
    const mean = sum / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.016);
    expect(Math.abs(sumSq / out.length - mean * mean - 1)).toBeLessThan(0.03);
    // P(|x| > 2) = 4.55 %.
    expect(Math.abs(beyond2 / out.length - 0.0455)).toBeLessThan(0.004);
    const shifted = Rng.fromSeed(3).fillNormal(new Float32Array(10_000), 5, 0.1);
    const m = shifted.reduce((a, b) => a + b, 0) / shifted.length;
    expect(Math.abs(m - 5)).toBeLessThan(0.01);
  });

  it('int(n) covers [0, n) evenly', () => {
    const rng = Rng.fromSeed(4);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.int(0)).toThrow(RngError);
    expect(() => rng.int(2.5)).toThrow(RngError);
  });

  it('shuffle is a permutation and is seeded', () => {
    const a = Uint32Array.from({ length: 1000 }, (_, i) => i);
    Rng.fromSeed(5).shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...a.slice(0, 20)]).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    const b = Array.from({ length: 1000 }, (_, i) => i);
    Rng.fromSeed(5).shuffle(b);
    expect(b).toEqual([...a]);
  });

  it('derive(label) is deterministic, label-dependent and leaves the parent unchanged', () => {
    const parent = Rng.fromSeed(9);
    const before = parent.state();
    const init1 = draws(parent.derive('init'), 4);
    const init2 = draws(parent.derive('init'), 4);
    const noise = draws(parent.derive('noise'), 4);
    expect(parent.state()).toEqual(before);
    expect(init1).toEqual(init2);
    expect(noise).not.toEqual(init1);
    expect(draws(parent.derive('init'), 4)).not.toEqual(draws(Rng.fromSeed(9), 4));
  });

  it('rejects bad seeds and states', () => {
    expect(() => Rng.fromSeed(Number.NaN)).toThrow(RngError);
    expect(() => Rng.fromSeed(0.5)).toThrow(RngError);
    expect(() => Rng.fromState({ algorithm: 'mt19937', words: [1, 2, 3, 4] })).toThrow(/xoshiro128/);
    expect(() => Rng.fromState({ algorithm: RNG_ALGORITHM, words: [1, 2, 3] })).toThrow(RngError);
    expect(() => Rng.fromState({ algorithm: RNG_ALGORITHM, words: [0, 0, 0, 0] })).toThrow(/all zeros/);
    expect(() => Rng.fromState({ algorithm: RNG_ALGORITHM, words: [1, 2, 3, 2 ** 32] })).toThrow(RngError);
  });
});
