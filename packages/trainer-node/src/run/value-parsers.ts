/**
 * Parsers of flag values, each rejecting a bad value with a message naming what was expected. They throw a plain
 * Error: the CLI wraps them for commander (src/cli/value-parsers.ts), and the run layer stays free of the CLI.
 */
import { THREADED_WASM_MAX_THREADS } from '@forger/kernels';

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`expected a whole number ≥ 1, got "${value}".`);
  }
  return n;
}

/** Widths of stacked layers: "128" or "128,256", each a whole number ≥ 1. */
export function unitList(value: string): number[] {
  const parts = value.split(',');
  if (!parts.every((part) => /^\s*\d+\s*$/.test(part)) || parts.some((part) => Number(part) < 1 || !Number.isSafeInteger(Number(part)))) {
    throw new Error(`expected whole numbers ≥ 1 separated by commas ("128", or "128,256" for two layers), got "${value}".`);
  }
  return parts.map(Number);
}

/** The most extra layers --extra-layers adds to one network: each is a full-size 3×3 convolution of its stage. */
const MAX_EXTRA_LAYERS = 8;

/**
 * --extra-layers: "n" for n in G and n in D (WassersteinGAN's --n_extra_layers), or "g,d" for each network apart;
 * always returned as [g, d].
 */
export function extraLayerCounts(value: string): [number, number] {
  const parts = value.split(',');
  const counts = parts.map((part) => (/^\s*\d+\s*$/.test(part) ? Number(part) : Number.NaN));
  if (parts.length > 2 || counts.some((n) => !(n >= 0 && n <= MAX_EXTRA_LAYERS))) {
    throw new Error(`expected a count from 0 to ${MAX_EXTRA_LAYERS} ("1": one in G and one in D), or two separated by a comma ("0,1": G's, then D's), got "${value}".`);
  }
  return [counts[0]!, counts[1] ?? counts[0]!];
}

/** Threads of the wasm backend: 1 (tfjs's single-thread build) to the threaded build's worker pool. */
export function wasmThreadCount(value: string): number {
  const n = positiveInteger(value);
  if (n > THREADED_WASM_MAX_THREADS) throw new Error(`expected 1 to ${THREADED_WASM_MAX_THREADS} threads (tfjs's threaded wasm build preloads ${THREADED_WASM_MAX_THREADS} workers), got "${value}".`);
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new Error(`expected a whole number ≥ 0, got "${value}".`);
  }
  return n;
}

/** "1e400" parses, to Infinity: say that, rather than that it is not > 0. */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() !== '' && !Number.isNaN(n) && !Number.isFinite(n)) {
    throw new Error(`"${value}" is not a finite number (it overflows a 64-bit float).`);
  }
  return n;
}

/** Any finite number, negative included (a loss threshold: ssgan's generator loss is a log-probability, ≤ 0). */
export function anyFiniteNumber(value: string): number {
  const n = finiteNumber(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`expected a number, got "${value}".`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = finiteNumber(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`expected a number > 0, got "${value}".`);
  }
  return n;
}

/** For β1, label-smoothing targets: a number in [lo, hi). */
export function numberInRange(lo: number, hi: number): (value: string) => number {
  return (value) => {
    const n = finiteNumber(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < lo || n >= hi) {
      throw new Error(`expected a number in [${lo}, ${hi}), got "${value}".`);
    }
    return n;
  };
}

/** Seeds are stored as uint32 words of the Rng state; anything in [0, 2^32) round-trips. */
export function seed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n >= 2 ** 32) {
    throw new Error(`expected a whole number in [0, 4294967295], got "${value}".`);
  }
  return n;
}
