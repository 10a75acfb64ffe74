import type { RngState } from './checkpoint/types.js';
import { RngError } from './rng-error.js';

// xoshiro128** (Blackman & Vigna 2018): 128 bits of state in four uint32 words,
// fast with 32-bit integer math in JavaScript, and the whole generator is those
// four words, so a checkpoint that stores them resumes the exact stream.
export const RNG_ALGORITHM = 'xoshiro128**';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// splitmix32 output function (the 32-bit variant of Vigna's splitmix64
// finaliser): spreads a seed so that nearby seeds give unrelated states.
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

const GOLDEN_GAMMA = 0x9e3779b9;

function splitmix32Words(seedLo: number, seedHi: number, count: number): number[] {
  let s = seedLo >>> 0;
  const hiMix = mix32(seedHi ^ 0x5bd1e995);
  const words: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (s + GOLDEN_GAMMA) >>> 0;
    words.push((mix32(s) ^ hiMix) >>> 0);
  }
  return words;
}

// FNV-1a over the UTF-16 code units of the label: a cheap, stable hash; the
// result is then mixed with the state, so its weak avalanche does not matter.
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function isAllZero(words: readonly number[]): boolean {
  return words.every((w) => w === 0);
}

function isUint32(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < TWO_POW_32;
}

/**
 * A seeded, serialisable random number generator. Every random number Forger
 * draws (latent noise, shuffles, weight init, dropout masks) comes from one, so
 * a run is reproducible from its seed and resumable from `state()`.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(words: readonly number[]) {
    this.s0 = words[0]! >>> 0;
    this.s1 = words[1]! >>> 0;
    this.s2 = words[2]! >>> 0;
    this.s3 = words[3]! >>> 0;
  }

  /** Any safe integer is a seed; seeds that differ in any bit give unrelated streams. */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) {
      throw new RngError('bad-seed', `Rng seed must be a safe integer, got ${String(seed)}`);
    }
    const lo = seed >>> 0;
    // Negative seeds: the high word carries the sign so -1 and 2^32-1 differ.
    const hi = (Math.floor(seed / TWO_POW_32) >>> 0) ^ (seed < 0 ? 0x80000000 : 0);
    const words = splitmix32Words(lo, hi, 4);
    if (isAllZero(words)) words[0] = 1; // the one state xoshiro cannot leave
    return new Rng(words);
  }

  static fromState(state: RngState): Rng {
    if (state.algorithm !== RNG_ALGORITHM) {
      throw new RngError('bad-state', `Rng state is for "${state.algorithm}", expected "${RNG_ALGORITHM}"`);
    }
    const words = state.words;
    if (words.length !== 4 || !words.every(isUint32)) {
      throw new RngError('bad-state', `Rng state must be 4 uint32 words, got [${words.join(', ')}]`);
    }
    if (isAllZero(words)) {
      throw new RngError('bad-state', 'Rng state is all zeros, which xoshiro128** never reaches');
    }
    return new Rng(words);
  }

  /** The whole state: `Rng.fromState(r.state())` continues exactly where `r` is. */
  state(): RngState {
    return { algorithm: RNG_ALGORITHM, words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] };
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits, so `log` of it never sees a coarse grid. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }

  /**
   * Standard normal by Box–Muller. The second value of the pair is dropped on
   * purpose: a cached spare would be hidden state that `state()` cannot show.
   */
  normal(): number {
    const u1 = 1 - this.nextFloat(); // (0, 1]: log never sees 0
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n), without modulo bias (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RngError('bad-argument', `Rng.int(n) needs an integer 1 ≤ n ≤ 2^32, got ${String(n)}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates, in place. */
  shuffle(a: { length: number; [i: number]: any }): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }

  fillUniform(out: Float32Array, lo: number, hi: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(lo, hi);
    return out;
  }

  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /**
   * An independent stream, deterministic in (current state, label); the parent
   * is not advanced, so `derive('init')` and `derive('noise')` can be taken in
   * any order and the parent's own stream is unchanged.
   */
  derive(label: string): Rng {
    const h = hashLabel(label);
    const parent = this.state().words;
    let s = mix32(h ^ 0x6a09e667);
    const words = parent.map((w, i) => {
      s = (s + GOLDEN_GAMMA) >>> 0;
      return mix32((w ^ mix32(s) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
    });
    if (isAllZero(words)) words[0] = 1;
    return new Rng(words);
  }
}
