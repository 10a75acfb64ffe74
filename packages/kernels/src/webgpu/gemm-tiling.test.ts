import { describe, expect, test } from 'vitest';
import { formatGemmTiling, parseGemmTiling } from './gemm-tiling-flag.js';
import { checkGemmTiling, gemmTiling } from './implicit-gemm.js';

describe('gemmTiling', () => {
  test('software GPUs keep the compact tiles CI compiles (16 steps, 8 × 4 only with many rows)', () => {
    expect(formatGemmTiling(gemmTiling(50_176, 64))).toBe('16x16/8x4/16');
    expect(formatGemmTiling(gemmTiling(1_568, 64))).toBe('16x16/4x4/16');
  });

  test('hardware GPUs: 4 × 4 per thread and 8 steps, for every wide product', () => {
    expect(formatGemmTiling(gemmTiling(50_176, 64, 'hardware'))).toBe('16x16/4x4/8');
    expect(formatGemmTiling(gemmTiling(1_600, 128, 'hardware'))).toBe('16x16/4x4/8');
    // A dense layer at batch 6: rows shrink rather than pad the tile.
    expect(gemmTiling(6, 96, 'hardware').rowsPerThread).toBe(1);
  });

  test('one-column outputs put the threads along the rows on either target', () => {
    for (const target of ['software', 'hardware'] as const) {
      const t = gemmTiling(200_704, 1, target);
      expect([t.threadsX, t.colsPerThread, t.rowsPerThread]).toEqual([1, 1, 1]);
    }
  });

  test('every automatic tiling is one WebGPU guarantees to run', () => {
    for (const target of ['software', 'hardware'] as const) {
      for (const [m, n] of [[1, 1], [6, 96], [256, 6272], [200_704, 1], [25, 64], [3_200, 1_024], [50_176, 128]] as const) {
        expect(() => checkGemmTiling(gemmTiling(m, n, target), 'test')).not.toThrow();
      }
    }
  });
});

describe('FORGER_WEBGPU_GEMM_TILING', () => {
  test('reads and writes threads / cells per thread / depth', () => {
    expect(parseGemmTiling('8x32/8x8/8')).toEqual({ threadsX: 8, threadsY: 32, rowsPerThread: 8, colsPerThread: 8, depth: 8 });
    expect(formatGemmTiling(parseGemmTiling('16x16/4x4/16')!)).toBe('16x16/4x4/16');
    expect(parseGemmTiling('')).toBeUndefined();
  });

  test('refuses a malformed value, and a tiling no device is guaranteed to run, naming what is wrong', () => {
    expect(() => parseGemmTiling('16x16/8x4')).toThrow(/16x16\/8x4\/16/);
    expect(() => checkGemmTiling(parseGemmTiling('32x16/4x4/8')!, 'Conv2D')).toThrow(/Conv2D.*512 threads/);
    expect(() => checkGemmTiling(parseGemmTiling('16x16/8x8/32')!, 'Conv2D')).toThrow(/16 KB/);
  });
});
