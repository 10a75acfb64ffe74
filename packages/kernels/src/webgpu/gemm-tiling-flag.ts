import { env } from '@tensorflow/tfjs-core';
import type { GemmTiling } from './gemm-tiling.js';

/**
 * `FORGER_WEBGPU_GEMM_TILING=16x16/8x4/16` (or `tf.env().set(GEMM_TILING_FLAG, …)`) makes every matrix product of
 * the WGSL engine (implicit-gemm.ts) use one tiling: threadsX×threadsY threads, rows×columns of C per thread, depth
 * elements of k per step. For measuring tilings on a GPU (`bench-gpu/gemm-tilings.ts`); empty (the default) lets
 * the engine choose per product.
 */
export const GEMM_TILING_FLAG = 'FORGER_WEBGPU_GEMM_TILING';

const pattern = /^(\d+)x(\d+)\/(\d+)x(\d+)\/(\d+)$/;

/** The tiling a flag value names, or undefined for ''. Throws on anything else. */
export function parseGemmTiling(value: string): GemmTiling | undefined {
  if (value === '') return undefined;
  const match = pattern.exec(value);
  if (match === null) throw new Error(`${GEMM_TILING_FLAG} must look like 16x16/8x4/16 (threads x×y / rows×columns per thread / depth), got ${JSON.stringify(value)}`);
  const [threadsX, threadsY, rowsPerThread, colsPerThread, depth] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { threadsX, threadsY, rowsPerThread, colsPerThread, depth };
}

/** A tiling as the flag spells it. */
export function formatGemmTiling(t: GemmTiling): string {
  return `${t.threadsX}x${t.threadsY}/${t.rowsPerThread}x${t.colsPerThread}/${t.depth}`;
}

// In Node also the environment variable (applyKernelFlagsFromEnvironment of '@forger/kernels/node').
env().registerFlag(GEMM_TILING_FLAG, () => '', (value) => {
  parseGemmTiling(value as string);
});

let parsed: { value: string; tiling: GemmTiling | undefined } = { value: '', tiling: undefined };

/** The tiling the flag forces, or undefined. Parsed once per value (it is read at every product). */
export function gemmTilingOverride(): GemmTiling | undefined {
  const value = env().get(GEMM_TILING_FLAG) as string;
  if (value !== parsed.value) parsed = { value, tiling: parseGemmTiling(value) };
  return parsed.tiling;
}
