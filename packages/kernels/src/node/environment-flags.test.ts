import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, test } from 'vitest';
import { KernelError } from '../backend/kernel-error.js';
import { CONV_ROUTE_FLAG, convRoute } from '../training/webgpu-conv-routes.js';
import { GEMM_TILING_FLAG, gemmTilingOverride } from '../webgpu/gemm-tiling-flag.js';
import { UPSAMPLE_CONV_FLAG, upsampleConvRoute } from '@forger/models';
import { applyKernelFlagsFromEnvironment } from './environment-flags.js';

afterEach(() => {
  tf.env().set(CONV_ROUTE_FLAG, 'forger');
  tf.env().set(GEMM_TILING_FLAG, '');
  tf.env().set(UPSAMPLE_CONV_FLAG, 'subpixel');
});

test('sets the kernels\' flags from the environment variables of their names, and leaves the others alone', () => {
  applyKernelFlagsFromEnvironment({ [CONV_ROUTE_FLAG]: 'tfjs', [GEMM_TILING_FLAG]: '8x8/4x4/8', [UPSAMPLE_CONV_FLAG]: 'direct' });
  expect(convRoute()).toBe('tfjs');
  expect(upsampleConvRoute()).toBe('direct');
  expect(gemmTilingOverride()).toEqual({ threadsX: 8, threadsY: 8, rowsPerThread: 4, colsPerThread: 4, depth: 8 });
  applyKernelFlagsFromEnvironment({});
  expect(convRoute()).toBe('tfjs');
});

test('a value the flag refuses is a KernelError naming the variable, and the flag keeps its value', () => {
  const failure = (() => {
    try {
      applyKernelFlagsFromEnvironment({ [CONV_ROUTE_FLAG]: 'fast' });
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  expect(failure).toBeInstanceOf(KernelError);
  expect((failure as KernelError).where).toBe(CONV_ROUTE_FLAG);
  expect((failure as KernelError).message).toMatch(/FORGER_WEBGPU_CONV must be "forger" or "tfjs", got "fast"/);
  expect(tf.env().get(CONV_ROUTE_FLAG)).toBe('forger');
});
