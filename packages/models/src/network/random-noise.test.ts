import { describe, expect, it } from 'vitest';
import { Rng } from '@forger/core';
import { drawNoiseSeed, noiseBits, noiseValues, unitOf } from './random-noise.js';
import {
  chiSquareCritical, chiSquareEquiprobable, correlation, kolmogorovSmirnov, ksCriticalValue, lagCorrelation, momentsOf, normalCdf,
} from '../test-support/sample-statistics.js';

// random-noise.ts replaced draws from the Rng's stream (Rng.fillNormal, Rng.nextFloat ≥ rate) with a hash of (seed,
// element). Issue 21 asks whether the hash draws what those drew: N(0, σ²) noise and Bernoulli(1 − rate) keep masks,
// independent across elements, rows, calls (steps) and seeds. Each check below is a statistical test at a stated
// significance on 2²⁰ draws; the draws are fixed by their seeds, so the test is deterministic, and a bound that
// passes by chance here would still be a bound a true N(0, 1) stream passes with probability ≥ 1 − α.
const N = 2 ** 20;
/** moments and correlations: |estimate − expected| < Z·(its standard error): two-sided α ≈ 5.7e-7 each */
const Z = 5;
/** the distribution tests (KS, χ²) */
const ALPHA = 0.001;
/** the standard normal quantile of 1 − ALPHA (for the Wilson–Hilferty χ² critical value) */
const Z_ALPHA = 3.0902;
/** the standard error of a sample correlation of n independent pairs: 1/√n */
const corrBound = (n: number): number => Z / Math.sqrt(n);

function gaussian(seed: number, rate = 1, size = N): Float32Array {
  return noiseValues({ kind: 'gaussian', rate, seed }, size) as Float32Array;
}

function keepMask(seed: number, rate: number, size = N): Float32Array {
  return (noiseValues({ kind: 'dropout', rate, seed }, size) as Float32Array).map((v) => (v === 0 ? 0 : 1));
}

/** 24-bit uniforms of stream j for elements [0, size), under `seed`, with element indices passed through `index`. */
function uniforms(seed: number, j: 0 | 1, size: number, index: (i: number) => number = (i) => i): Float64Array {
  const u = new Float64Array(size);
  for (let i = 0; i < size; i++) u[i] = unitOf(noiseBits(seed, index(i), j));
  return u;
}

/**
 * Pearson χ² of the joint histogram of (a[i], b[i]) over a 16 × 16 grid of [0, 1)², against independent uniforms
 * (each cell n/256; df 255). Catches dependence a correlation misses (any cell over- or under-filled).
 */
function jointChiSquare(a: ArrayLike<number>, b: ArrayLike<number>): { chi2: number; critical: number } {
  const k = 16;
  const counts = new Float64Array(k * k);
  for (let i = 0; i < a.length; i++) counts[Math.floor(a[i]! * k) * k + Math.floor(b[i]! * k)]! += 1;
  const expected = a.length / (k * k);
  let chi2 = 0;
  for (const c of counts) chi2 += (c - expected) ** 2 / expected;
  return { chi2, critical: chiSquareCritical(k * k - 1, Z_ALPHA) };
}

/** The seeds a layer gets on successive calls: one drawNoiseSeed per call, as dropout.ts and gaussian-noise.ts do. */
function successiveSeeds(rngSeed: number, calls: number): number[] {
  const rng = Rng.fromSeed(rngSeed);
  return Array.from({ length: calls }, () => drawNoiseSeed(rng));
}

describe('random-noise: the hash draws what Rng.fillNormal drew (N(0, σ²))', () => {
  const seed = successiveSeeds(21, 1)[0]!;
  const n = gaussian(seed);

  it(`has mean 0, variance 1, skewness 0 and kurtosis 3 within ${Z} standard errors (n = 2^20)`, () => {
    const m = momentsOf(n);
    // standard errors for a normal sample: mean 1/√n, variance √(2/n), skewness √(6/n), kurtosis √(24/n)
    expect(Math.abs(m.mean)).toBeLessThan(Z / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(Z * Math.sqrt(2 / N));
    expect(Math.abs(m.skewness)).toBeLessThan(Z * Math.sqrt(6 / N));
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(Z * Math.sqrt(24 / N));
  });

  it(`passes Kolmogorov–Smirnov and a 50-bin χ² against N(0, 1) at α = ${ALPHA}`, () => {
    expect(kolmogorovSmirnov(n, normalCdf)).toBeLessThan(ksCriticalValue(ALPHA, N));
    expect(chiSquareEquiprobable(n, normalCdf, 50)).toBeLessThan(chiSquareCritical(49, Z_ALPHA));
  });

  it('puts the normal share of draws in the tails (|n| > 3: 0.27 %; |n| > 4: 0.0063 %)', () => {
    // binomial standard error √(p(1 − p)/n) for each tail share
    for (const [t, p] of [[3, 2 * (1 - normalCdf(3))], [4, 2 * (1 - normalCdf(4))]] as const) {
      const share = n.filter((v) => Math.abs(v) > t).length / N;
      expect(Math.abs(share - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / N));
    }
  });

  it('scales by the rate: standard deviation σ for the improved-GAN discriminator\'s σ = 0.3 and 0.5', () => {
    for (const sigma of [0.3, 0.5]) {
      const m = momentsOf(gaussian(seed + 1, sigma));
      expect(Math.abs(m.variance / sigma ** 2 - 1)).toBeLessThan(Z * Math.sqrt(2 / N));
      expect(Math.abs(m.mean / sigma)).toBeLessThan(Z / Math.sqrt(N));
    }
  });

  it('is uncorrelated between neighbouring elements and between rows (widths 250, 784, 1000)', () => {
    for (const lag of [1, 2, 250, 784, 1000]) expect(Math.abs(lagCorrelation(n, lag))).toBeLessThan(corrBound(N - lag));
    // squares too: a dependence in magnitude (e.g. shared u1) would show there and not in the values
    const squares = n.map((v) => v * v);
    for (const lag of [1, 784]) expect(Math.abs(lagCorrelation(squares, lag))).toBeLessThan(corrBound(N - lag));
  });

  it('is uncorrelated between successive calls (steps) of one layer and between layers', () => {
    const seeds = successiveSeeds(3, 4);
    const calls = seeds.map((s) => gaussian(s));
    for (let t = 0; t + 1 < calls.length; t++) {
      expect(seeds[t]).not.toBe(seeds[t + 1]);
      expect(Math.abs(correlation(calls[t]!, calls[t + 1]!))).toBeLessThan(corrBound(N));
      expect(Math.abs(correlation(calls[t]!.map((v) => v * v), calls[t + 1]!.map((v) => v * v)))).toBeLessThan(corrBound(N));
    }
  });
});

describe('random-noise: the two streams and nearby seeds are independent uniforms', () => {
  const size = 2 ** 18;
  const seed = 0x2545f491;

  it('stream 0 and stream 1 of one element (Box–Muller\'s u1, u2) are independent', () => {
    const { chi2, critical } = jointChiSquare(uniforms(seed, 0, size), uniforms(seed, 1, size));
    expect(chi2).toBeLessThan(critical);
  });

  it('neighbouring elements are independent (joint 16 × 16 histogram)', () => {
    const u = uniforms(seed, 0, size + 1);
    const { chi2, critical } = jointChiSquare(u.subarray(0, size), u.subarray(1));
    expect(chi2).toBeLessThan(critical);
  });

  // The hash reads (2i + j) XOR seed before its second key: seeds s and s XOR d feed element i, stream j and element
  // i XOR ⌊d/2⌋, stream j XOR (d mod 2) the same first hash. Only the per-seed second key separates them; check it does.
  it.each([1, 2, 3, 0x100, 0x80000000])('seeds s and s XOR %i give independent draws, also where their first hashes coincide', (d) => {
    const a = uniforms(seed, 0, size);
    const aligned = uniforms((seed ^ d) >>> 0, (d & 1) as 0 | 1, size, (i) => i ^ Math.floor(d / 2));
    const { chi2, critical } = jointChiSquare(a, aligned);
    expect(chi2).toBeLessThan(critical);
    expect(Math.abs(correlation(a, aligned))).toBeLessThan(corrBound(size));
    expect(Math.abs(correlation(a, uniforms((seed ^ d) >>> 0, 0, size)))).toBeLessThan(corrBound(size));
  });

  it('seeds s and s + 1 give independent draws', () => {
    const { chi2, critical } = jointChiSquare(uniforms(seed, 0, size), uniforms(seed + 1, 0, size));
    expect(chi2).toBeLessThan(critical);
  });
});

describe('random-noise: dropout keeps a Bernoulli(1 − rate) share, scaled by 1/(1 − rate)', () => {
  it.each([0.1, 0.3, 0.5])('rate %f: keep rate 1 − rate within 5 binomial standard errors, kept values exactly f32(1/(1 − rate))', (rate) => {
    const [seed] = successiveSeeds(5, 1);
    const values = noiseValues({ kind: 'dropout', rate, seed: seed! }, N);
    const scale = Math.fround(1 / (1 - rate));
    let kept = 0;
    let other = 0;
    for (const v of values) {
      if (v === scale) kept += 1;
      else if (v !== 0) other += 1;
    }
    expect(other).toBe(0);
    const p = 1 - rate;
    expect(Math.abs(kept / N - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / N));
  });

  it('masks are uncorrelated between neighbours, rows, successive calls (steps) and layers', () => {
    const rate = 0.5;
    // a trainer's order: per step, one call for each of 3 dropout layers, all from one Rng
    const seeds = successiveSeeds(11, 6);
    const masks = seeds.map((s) => keepMask(s, rate));
    const first = masks[0]!;
    for (const lag of [1, 32, 784]) expect(Math.abs(lagCorrelation(first, lag))).toBeLessThan(corrBound(N - lag));
    for (let a = 0; a < masks.length; a++) {
      for (let b = a + 1; b < masks.length; b++) expect(Math.abs(correlation(masks[a]!, masks[b]!))).toBeLessThan(corrBound(N));
    }
    // the same layer one step later keeps the same unit with probability (1 − rate)², as independent masks do
    const both = first.reduce((s, v, i) => s + v * masks[3]![i]!, 0) / N;
    const p = (1 - rate) ** 2;
    expect(Math.abs(both - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / N));
  });

  it('a fixed seed gives the same mask on every call (what resume and the backward pass rely on)', () => {
    expect(Array.from(noiseValues({ kind: 'dropout', rate: 0.5, seed: 77 }, 4096))).toEqual(Array.from(noiseValues({ kind: 'dropout', rate: 0.5, seed: 77 }, 4096)));
  });
});
