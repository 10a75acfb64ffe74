import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, test } from 'vitest';
import { registerForgerKernels } from '../register.js';
import { compareWithCpu, relativeBound, uniformValues, type KernelCase } from '../test-support/kernel-check.js';

interface ProductShape { label: string; a: number[]; b: number[] }
// [rows, inner] × [inner, cols] as stored before the transpose flags apply.
const products: ProductShape[] = [
  { label: 'small 2-D', a: [5, 7], b: [7, 3] },
  { label: 'batched 3-D', a: [3, 4, 6], b: [3, 6, 5] },
  { label: 'broadcast batch', a: [1, 4, 6], b: [3, 6, 5] },
  { label: 'DCGAN D dense 1 (3200 → 1024, batch 16)', a: [16, 3200], b: [3200, 1024] },
  { label: 'DCGAN G dense 2 (1024 → 6272, batch 8)', a: [8, 1024], b: [1024, 6272] },
];
const flags = [
  { transposeA: false, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: false },
  { transposeA: true, transposeB: true },
];

function swapLast(shape: number[]): number[] {
  return [...shape.slice(0, -2), shape[shape.length - 1]!, shape[shape.length - 2]!];
}

const cases = products.flatMap((p, i) => flags.map((f) => ({
  label: `${p.label}, transposeA ${f.transposeA}, transposeB ${f.transposeB}`,
  kernelCase: {
    kernelName: 'BatchMatMul',
    inputs: {
      a: uniformValues(f.transposeA ? swapLast(p.a) : p.a, 300 + i),
      b: uniformValues(f.transposeB ? swapLast(p.b) : p.b, 400 + i),
    },
    attrs: f,
  } satisfies KernelCase,
  outShape: [...(p.a.length > 2 ? [Math.max(p.a[0]!, p.b[0]!)] : []), p.a[p.a.length - 2]!, p.b[p.b.length - 1]!],
})));

test.each(cases)(`BatchMatMul on wasm matches cpu within ${relativeBound} × max|C|: $label`, async ({ kernelCase, outShape }) => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const r = await compareWithCpu('wasm', kernelCase);
  expect(r.shape).toEqual(outShape);
  expect(r.maxAbsError, `scale ${r.referenceScale}`).toBeLessThanOrEqual(relativeBound * r.referenceScale);
});

test('the transposed product on wasm frees its transposes', async () => {
  await tf.setBackend('wasm');
  registerForgerKernels('wasm');
  const a = tf.ones([64, 30]);
  const b = tf.ones([20, 30]);
  const before = tf.engine().backend.numDataIds();
  const c = tf.matMul(a, b, false, true);
  expect(tf.engine().backend.numDataIds()).toBe(before + 1);
  expect(c.shape).toEqual([64, 20]);
  expect((await c.data())[0]).toBe(30);
  tf.dispose([a, b, c]);
});
