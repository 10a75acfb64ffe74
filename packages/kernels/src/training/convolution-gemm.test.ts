import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { CONV_KERNEL, MATMUL_KERNEL } from '@forger/models/kernels';
import { describe, expect, test } from 'vitest';
import { customDispatchCount } from '../webgpu/compute-dispatch.js';
import { GEMM_TILING_FLAG } from '../webgpu/gemm-tiling-flag.js';
import { gemmSplits, gemmTiling } from '../webgpu/implicit-gemm.js';
import { takesTapRoute, type TapRouteSide } from './convolution-taps.js';
import { registerForgerKernels } from '../register.js';
import { CONV_ROUTE_FLAG, convRoute } from './webgpu-conv-routes.js';
import { checkedBackends, compareWithCpu, convOutputShape, convShapes, relativeBound, uniformValues, type KernelCase } from '../test-support/kernel-check.js';

// Forger's WGSL convolutions and products (convolution-gemm.ts, ForgerConv2D.ts, ForgerMatMul.ts) against
// tfjs's cpu backend. The input and filter gradients are checked in Conv2DBackpropInput.test.ts and
// Conv2DBackpropFilter.test.ts, which run the same engine on webgpu.

interface Geometry { label: string; x: number[]; filter: number[]; stride: number; pad: 'same' | 'valid'; dilation?: number }

/** Shapes that reach every tiling: wide (64 channels), middling (5, 20), one channel, and ≥ 16,384 output rows (8 rows per thread). */
const geometries: Geometry[] = [
  ...convShapes.filter((s) => s.onSoftwareGpu),
  { label: 'one output channel, 5×5 on 28×28 ×64 (DCGAN G image layer)', x: [2, 28, 28, 64], filter: [5, 5, 64, 1], stride: 1, pad: 'same' },
  { label: 'two output channels, 3×3 on 9×9', x: [2, 9, 9, 3], filter: [3, 3, 3, 2], stride: 1, pad: 'same' },
  { label: '20 output channels, 3×3 on 9×9, stride 2', x: [2, 9, 9, 6], filter: [3, 3, 6, 20], stride: 2, pad: 'same' },
  { label: 'dilation 2, 3×3 on 11×10', x: [2, 11, 10, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same', dilation: 2 },
  { label: '16,875 output rows (8 rows per thread), 3×3 ×3 → 64', x: [27, 25, 25, 3], filter: [3, 3, 3, 64], stride: 1, pad: 'same' },
  { label: 'three output channels from 16 (tap route), 3×3 on 10×9, valid', x: [2, 10, 9, 16], filter: [3, 3, 16, 3], stride: 1, pad: 'valid' },
];

/** Programs a convolution records: the tap route (convolution-taps.ts) takes a product and a sum of shifted taps. */
function dispatchesOf(side: TapRouteSide, g: Geometry): number {
  const dilation = g.dilation ?? 1;
  const info = backend_util.computeConv2DInfo(g.x as [number, number, number, number], g.filter as [number, number, number, number], g.stride, [dilation, dilation], g.pad);
  return takesTapRoute(side, info) ? 2 : 1;
}

function forwardCase(g: Geometry, seed: number, kernelName: string, extra: { bias?: boolean; activation?: string } = {}): KernelCase {
  const outShape = convOutputShape(g.x, g.filter, g.stride, g.pad);
  return {
    kernelName,
    inputs: {
      x: uniformValues(g.x, seed), filter: uniformValues(g.filter, seed + 1),
      ...(extra.bias ? { bias: uniformValues([g.filter[3]!], seed + 2) } : {}),
    },
    attrs: {
      strides: [g.stride, g.stride], pad: g.pad, dataFormat: 'NHWC', dilations: [g.dilation ?? 1, g.dilation ?? 1], dimRoundingMode: undefined,
      ...(extra.activation ? { activation: extra.activation, leakyreluAlpha: extra.activation === 'leakyrelu' ? 0.2 : undefined } : {}),
      expectedShape: outShape,
    },
  };
}

const activations = ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid'];

describe.each((await checkedBackends()).filter((b) => b.backend === 'webgpu'))('Forger WGSL convolutions on $backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});

  async function check(c: KernelCase, dispatches = 1): Promise<void> {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    registerForgerKernels('cpu');   // the reference: tfjs's fused kernel, then the activation's
    expect(convRoute()).toBe('forger');
    const before = customDispatchCount();
    const r = await compareWithCpu(backend, c);
    expect(customDispatchCount() - before, 'ran Forger\'s WGSL programs').toBe(dispatches);
    expect(r.shape).toEqual(c.attrs['expectedShape'] ?? r.shape);
    expect(r.referenceScale).toBeGreaterThan(0.05);
    expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
  }

  test.skipIf(skip !== undefined).each(geometries.map((g, i) => ({ g, c: forwardCase(g, 700 + 3 * i, 'Conv2D') })))(
    `Conv2D matches cpu within ${relativeBound} × max|y|: $g.label`, ({ g, c }) => check(c, dispatchesOf('forward', g)));

  test.skipIf(skip !== undefined).each(activations.map((activation, i) => ({
    activation, c: forwardCase({ label: '', x: [2, 8, 8, 24], filter: [5, 5, 24, 1], stride: 1, pad: 'same' }, 860 + 2 * i, CONV_KERNEL, { bias: true, activation }),
  })))(`${CONV_KERNEL} on the tap route (one output channel: product, then the shifted sum + bias + activation) matches cpu: $activation`,
    ({ c }) => check(c, 2));

  test.skipIf(skip !== undefined).each(activations.flatMap((activation, i) => [true, false].map((bias) => ({
    activation, bias, c: forwardCase({ label: '', x: [2, 9, 7, 5], filter: [3, 3, 5, 6], stride: 1, pad: 'same' }, 800 + 4 * i + (bias ? 0 : 2), CONV_KERNEL, { bias, activation }),
  }))))(`${CONV_KERNEL} (conv + bias + activation in one program) matches cpu: $activation, bias $bias`, ({ c }) => check(c));

  // The input gradient takes Forger's program for a stride-1 'same' convolution from more than 8 channels, and the
  // tap route for one to four input channels (Conv2DBackpropInput.ts).
  const inputGradients: Geometry[] = [
    { label: '3×3 on 9×7 ×12 → 5, same', x: [2, 9, 7, 12], filter: [3, 3, 12, 5], stride: 1, pad: 'same' },
    { label: '5×5 on 8×8 ×10 → 6, same', x: [3, 8, 8, 10], filter: [5, 5, 10, 6], stride: 1, pad: 'same' },
    { label: 'from one output channel, 5×5 on 12×12 ×16, same', x: [2, 12, 12, 16], filter: [5, 5, 16, 1], stride: 1, pad: 'same' },
    { label: 'to one input channel (tap route), 5×5 on 12×11 ×1 → 16, same (DCGAN D conv 1)', x: [2, 12, 11, 1], filter: [5, 5, 1, 16], stride: 1, pad: 'same' },
    { label: 'to two input channels (tap route), 3×3 on 10×9 ×2 → 20, valid', x: [2, 10, 9, 2], filter: [3, 3, 2, 20], stride: 1, pad: 'valid' },
  ];
  test.skipIf(skip !== undefined).each(inputGradients.map((g, i) => ({
    g,
    c: {
      kernelName: 'Conv2DBackpropInput',
      inputs: { dy: uniformValues(convOutputShape(g.x, g.filter, g.stride, g.pad), 950 + 2 * i), filter: uniformValues(g.filter, 951 + 2 * i) },
      attrs: { strides: [1, 1], pad: g.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: g.x, expectedShape: g.x },
    } satisfies KernelCase,
  })))(`Conv2DBackpropInput matches cpu: $g.label`, ({ g, c }) => check(c, dispatchesOf('inputGradient', g)));

  // The tilings a hardware GPU gets (gemmTiling's 'hardware' target), run here on SwiftShader through the tiling flag.
  test.skipIf(skip !== undefined).each(['16x16/4x4/8', '16x16/8x4/8'].flatMap((tiling) => [
    { tiling, g: geometries.find((x) => x.label.startsWith('DCGAN D conv 2'))!, kernel: 'Conv2D' },
    { tiling, g: { label: 'sizes off the tile edges, 5×5 on 9×7 ×12 → 70', x: [3, 9, 7, 12], filter: [5, 5, 12, 70], stride: 1, pad: 'same' } as Geometry, kernel: CONV_KERNEL },
  ]))('hardware tiling $tiling: $kernel matches cpu on $g.label', async ({ tiling, g, kernel }) => {
    tf.env().set(GEMM_TILING_FLAG, tiling);
    try {
      await check(forwardCase(g, 880, kernel, kernel === CONV_KERNEL ? { bias: true, activation: 'tanh' } : {}));
    } finally {
      tf.env().set(GEMM_TILING_FLAG, '');
    }
  });

  const products: Array<{ label: string; m: number; k: number; n: number; activation: string }> = [
    { label: 'DCGAN D dense (tanh), small batch', m: 6, k: 200, n: 96, activation: 'tanh' },
    { label: 'sizes off every tile edge', m: 131, k: 37, n: 67, activation: 'sigmoid' },
    { label: 'one output column (a logit)', m: 70, k: 129, n: 1, activation: 'linear' },
    { label: 'a depth of one', m: 9, k: 1, n: 50, activation: 'relu' },
    { label: 'leaky ReLU, 17 columns', m: 40, k: 33, n: 17, activation: 'leakyrelu' },
  ];
  test.skipIf(skip !== undefined).each(products.map((p, i) => ({
    p,
    c: {
      kernelName: MATMUL_KERNEL,
      inputs: { a: uniformValues([p.m, p.k], 900 + 3 * i), b: uniformValues([p.k, p.n], 901 + 3 * i), bias: uniformValues([p.n], 902 + 3 * i) },
      attrs: { activation: p.activation, leakyreluAlpha: 0.2, expectedShape: [p.m, p.n] },
    } satisfies KernelCase,
  })))(`${MATMUL_KERNEL} matches cpu: $p.label`, ({ c }) => check(c));

  // A dense layer's gradients (dz·Wᵀ, xᵀ·dz) and the plain product, as tfjs-core's matMul calls the kernel (rank 3, a batch of one).
  const plainProducts = [false, true].flatMap((transposeA) => [false, true].map((transposeB) => ({ transposeA, transposeB, m: 37, k: 70, n: 66 })));
  test.skipIf(skip !== undefined).each(plainProducts.map((p, i) => ({
    p,
    c: {
      kernelName: 'BatchMatMul',
      inputs: {
        a: uniformValues(p.transposeA ? [1, p.k, p.m] : [1, p.m, p.k], 970 + 2 * i),
        b: uniformValues(p.transposeB ? [1, p.n, p.k] : [1, p.k, p.n], 971 + 2 * i),
      },
      attrs: { transposeA: p.transposeA, transposeB: p.transposeB, expectedShape: [1, p.m, p.n] },
    } satisfies KernelCase,
  })))('BatchMatMul matches cpu: transposeA $p.transposeA, transposeB $p.transposeB', ({ c }) => check(c));

  test.skipIf(skip !== undefined)('a batched BatchMatMul (more than one pair) runs tfjs\'s own, to the same values', async () => {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    const c: KernelCase = {
      kernelName: 'BatchMatMul',
      inputs: { a: uniformValues([3, 5, 7], 990), b: uniformValues([3, 4, 7], 991) },
      attrs: { transposeA: false, transposeB: true },
    };
    const before = customDispatchCount();
    const r = await compareWithCpu(backend, c);
    expect(customDispatchCount() - before).toBe(0);
    expect(r.shape).toEqual([3, 5, 4]);
    expect(r.maxAbsError).toBeLessThanOrEqual(relativeBound * r.referenceScale);
  });

  test.skipIf(skip !== undefined)('FORGER_WEBGPU_CONV=tfjs runs tfjs\'s own kernels to the same values', async () => {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    registerForgerKernels('cpu');
    tf.env().set(CONV_ROUTE_FLAG, 'tfjs');
    try {
      const c = forwardCase({ label: '', x: [2, 9, 7, 5], filter: [3, 3, 5, 6], stride: 1, pad: 'same' }, 990, CONV_KERNEL, { bias: true, activation: 'tanh' });
      const before = customDispatchCount();
      const r = await compareWithCpu(backend, c);
      expect(customDispatchCount() - before).toBe(0);
      expect(r.maxAbsError).toBeLessThanOrEqual(relativeBound * r.referenceScale);
    } finally {
      tf.env().set(CONV_ROUTE_FLAG, 'forger');
    }
  });

  test.skipIf(skip !== undefined)('refuses a filter whose input channels are not the image\'s, naming both shapes', async () => {
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    const x = tf.zeros([1, 5, 5, 3]);
    const filter = tf.zeros([3, 3, 4, 2]);
    expect(() => tf.engine().runKernel(CONV_KERNEL, { x, filter }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', activation: 'tanh' } as unknown as tf.NamedAttrMap))
      .toThrow(/ForgerConv2D: x \[1, 5, 5, 3\] and filter \[3, 3, 4, 2\]/);
    expect(() => tf.engine().runKernel(CONV_KERNEL, { x, filter: tf.zeros([3, 3, 3, 2]) }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', activation: 'elu' } as unknown as tf.NamedAttrMap))
      .toThrow(/activation "elu" is not one of/);
    tf.dispose([x, filter]);
  });
});

describe('the GEMM tiling', () => {
  const sizes = [1, 2, 3, 5, 8, 9, 16, 20, 33, 47, 48, 64, 100, 128, 200, 1024];
  test.each(sizes)('fits WebGPU\'s guaranteed limits for %i columns: 256 threads, ≤ 16 KB of workgroup memory, ≤ 8 loads per thread and step', (n) => {
    for (const m of [1, 100, 16 * 1024, 200_000]) {
      const t = gemmTiling(m, n);
      expect(t.threadsX * t.threadsY).toBe(256);
      // The generator unrolls each thread's loads: more made SwiftShader's compiler (CI's WebGPU) run out of memory.
      expect(t.threadsY * t.rowsPerThread * t.depth).toBeLessThanOrEqual(8 * 256);
      expect(t.threadsX * t.colsPerThread * t.depth).toBeLessThanOrEqual(8 * 256);
      expect(t.threadsX).toBeLessThanOrEqual(256);
      const floats = (t.threadsY * t.rowsPerThread + t.threadsX * t.colsPerThread) * t.depth;
      expect(floats * 4).toBeLessThanOrEqual(16384);
      // Columns a tile covers, and not mostly idle threads for narrow outputs.
      expect(t.threadsX * t.colsPerThread).toBeLessThanOrEqual(Math.max(2 * n, 64));
    }
  });

  test('split-K covers every k exactly once, in whole steps, and splits only where outputs are few', () => {
    const t = gemmTiling(1600, 128);
    for (const k of [1, 15, 16, 17, 1000, 51_200, 401_408]) {
      const { splits, kPerSplit } = gemmSplits({ m: 1600, n: 128, k }, t);
      expect(kPerSplit % t.depth).toBe(0);
      expect(splits * kPerSplit).toBeGreaterThanOrEqual(k);
      expect((splits - 1) * kPerSplit).toBeLessThan(k);
    }
    // DCGAN D conv 1's filter gradient at batch 512: 25 × 64 outputs, 401,408 products each.
    expect(gemmSplits({ m: 25, n: 64, k: 401_408 }, gemmTiling(25, 64)).splits).toBeGreaterThan(100);
    // A dense layer's input gradient at batch 256 (256 × 6272, k = 1024) has ~400 tiles: one slice.
    expect(gemmSplits({ m: 256, n: 6272, k: 1024 }, gemmTiling(256, 6272)).splits).toBe(1);
    // A forward-sized problem already fills the GPU: one slice.
    expect(gemmSplits({ m: 200_000, n: 64, k: 1600 }, gemmTiling(200_000, 64)).splits).toBe(1);
  });
});

test.each(['tanh', 'relu'])('the tfjs-kernel forms of ForgerConv2D and ForgerMatMul (cpu) free every intermediate they make (%s)', async (activation) => {
  await tf.setBackend('cpu');
  registerForgerKernels('cpu');
  const x = tf.ones([1, 5, 5, 2]);
  const filter = tf.ones([3, 3, 2, 4]);
  const a = tf.ones([3, 6]);
  const b = tf.ones([6, 2]);
  const bias = tf.ones([2]);
  const before = tf.engine().backend.numDataIds();
  const y = tf.engine().runKernel(CONV_KERNEL, { x, filter }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], activation } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const z = tf.engine().runKernel(MATMUL_KERNEL, { a, b, bias }, { activation } as unknown as tf.NamedAttrMap) as tf.Tensor;
  expect(tf.engine().backend.numDataIds()).toBe(before + 2);
  expect(z.shape).toEqual([3, 2]);
  // 6 ones · 1 + bias 1 = 7 before the activation.
  expect(Array.from(await z.data())).toEqual(Array(6).fill(activation === 'tanh' ? Math.fround(Math.tanh(7)) : 7));
  tf.dispose([x, filter, a, b, bias, y, z]);
});
