/**
 * The host kernels' WebAssembly SIMD loops against the JavaScript loops they replaced, in the same run:
 * `pnpm --filter @forger/kernels bench` (tsx, not built). JSON on stdout: per array size, the median milliseconds
 * of one call each way (copies into and out of the module included) and the ratio, with the load average (the
 * development machine is shared). The sizes are the vanilla GAN's weights at 128 and 256 hidden units and the
 * improved-GAN's widest layer (Adam), and dropout on D's hidden activations at batch 64 + 64.
 * A benchmark, not a test: nothing asserts on its numbers.
 */
import { loadavg } from 'node:os';
import { adamUpdateSimd, adamUpdateValues, type FusedAdamAttrs } from '../optimizers/FusedAdamUpdate.js';
import { dropoutSimd, noiseOnHost } from '../training/RandomNoise.js';

const REPEATS = 41;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(run: () => void): number {
  for (let k = 0; k < 5; k++) run();
  const samples: number[] = [];
  for (let k = 0; k < REPEATS; k++) {
    const t = performance.now();
    run();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

function filled(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = (x / 2 ** 32 - 0.5) * scale;
  }
  return out;
}

const adam: FusedAdamAttrs = { learningRate: 2e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 };
const adamSizes = { 'vanilla D kernel, 128 units (784 × 128)': 784 * 128, 'vanilla D kernel, 256 units (784 × 256)': 784 * 256, 'improved-GAN D first layer (784 × 1000)': 784 * 1000 };
const adamResults = Object.entries(adamSizes).map(([what, n]) => {
  const [w, g, m] = [filled(n, 1, 0.2), filled(n, 2, 0.05), filled(n, 3, 0.01)];
  const v = filled(n, 4, 1e-4).map(Math.abs);
  const correction = new Float32Array([0.5, 0.001]);
  const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
  const javascriptMs = time(() => adamUpdateValues(adam, w, g, m, v, correction, ...out));
  const simdMs = time(() => { if (!adamUpdateSimd(adam, w, g, m, v, correction, ...out)) throw new Error('no WebAssembly SIMD here'); });
  return { kernel: 'ForgerFusedAdamUpdate', what, values: n, javascriptMs, simdMs, speedup: javascriptMs / simdMs };
});

const dropoutSizes = { 'vanilla D hidden, 128 units, batch 64 + 64': 128 * 128, 'vanilla D hidden, 256 units, batch 64 + 64': 128 * 256 };
const dropoutResults = Object.entries(dropoutSizes).map(([what, n]) => {
  const x = filled(n, 5, 2);
  const out = new Float32Array(n);
  const attrs = { kind: 'dropout' as const, rate: 0.3, seed: 12345 };
  const javascriptMs = time(() => noiseOnHost(attrs, x, out));
  const simdMs = time(() => { if (!dropoutSimd(attrs, x, out)) throw new Error('no WebAssembly SIMD here'); });
  return { kernel: 'ForgerRandomNoise (dropout)', what, values: n, javascriptMs, simdMs, speedup: javascriptMs / simdMs };
});

process.stdout.write(`${JSON.stringify({
  date: new Date().toISOString(), node: process.version, repeats: REPEATS, loadAverage: loadavg(),
  results: [...adamResults, ...dropoutResults],
}, null, 2)}\n`);
