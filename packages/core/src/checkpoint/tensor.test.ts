import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { smallCheckpoint } from '../test-support/fixtures.js';
import { CheckpointError } from './checkpoint-error.js';
import { decodeCheckpoint } from './decode.js';
import { encodeCheckpoint } from './encode.js';
import { exportForWeb } from './export-for-web.js';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from './tensor.js';
import type { Checkpoint } from './types.js';

// A realistic weight, scaled down to keep the test fast:
// a DCGAN generator dense kernel [100, 3136] initialised N(0, 0.02).
const shape = [100, 3136];
const rng = Rng.fromSeed(5);
const weights = rng.fillNormal(new Float32Array(100 * 3136), 0, 0.02);
const maxAbs = weights.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function maxError(a: Float32Array, b: Float32Array): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    abs = Math.max(abs, e);
    if (Math.abs(a[i]!) >= 2 ** -14) rel = Math.max(rel, e / Math.abs(a[i]!));
  }
  return { abs, rel };
}

const f16 = maxError(weights, checkpointTensorToFloat32(float32ToCheckpointTensor('w', shape, weights, 'float16')));
const i8 = float32ToCheckpointTensor('w', shape, weights, 'int8');
const i8err = maxError(weights, checkpointTensorToFloat32(i8));
const i8c = float32ToCheckpointTensor('w', shape, weights, 'int8', { quantAxis: 1 });
const i8cErr = maxError(weights, checkpointTensorToFloat32(i8c));

describe('checkpoint tensors', () => {
  it('float32 is exact', () => {
    const t = float32ToCheckpointTensor('w', shape, weights);
    expect(t.data).toHaveLength(weights.length * 4);
    const back = checkpointTensorToFloat32(t);
    expect(back.length).toBe(weights.length);
    expect(back.every((v, i) => v === weights[i])).toBe(true);
  });

  it(`float16 on N(0, 0.02) [100×3136]: measured max relative error ${f16.rel.toExponential(2)} ≤ 2^-11 (${(2 ** -11).toExponential(2)})`, () => {
    expect(f16.rel).toBeLessThanOrEqual(2 ** -11);
  });

  it(`int8 per tensor: scale ${i8.scale[0]!.toExponential(3)}, measured max abs error ${i8err.abs.toExponential(2)} ≤ scale/2`, () => {
    expect(i8.scale[0]).toBeCloseTo(maxAbs / 127, 9);
    expect(i8err.abs).toBeLessThanOrEqual(i8.scale[0]! / 2 + 1e-9);
  });

  it(`int8 per channel: measured max abs error ${i8cErr.abs.toExponential(2)} ≤ max scale/2 (${(Math.max(...i8c.scale) / 2).toExponential(2)})`, () => {
    expect(i8c.scale).toHaveLength(3136);
    expect(i8cErr.abs).toBeLessThanOrEqual(Math.max(...i8c.scale) / 2 + 1e-9);
    expect(i8cErr.abs).toBeLessThanOrEqual(i8err.abs);
  });

  it('rejects a value count that does not match the shape, and a quantAxis on float tensors', () => {
    expect(() => float32ToCheckpointTensor('w', [2, 3], new Float32Array(5))).toThrow(/shape 2×3 needs 6 values, got 5/);
    expect(() => float32ToCheckpointTensor('w', [2, 3], new Float32Array(6), 'float16', { quantAxis: 0 })).toThrow(CheckpointError);
    expect(() => float32ToCheckpointTensor('w', [2, 3], new Float32Array(6), 'int8', { quantAxis: 2 })).toThrow(/not an axis/);
  });

  it('reads tensors whose bytes sit at an odd offset (a view into a file)', () => {
    const t = float32ToCheckpointTensor('w', [3], Float32Array.of(1, 2, 3));
    const padded = new Uint8Array(13);
    padded.set(t.data, 1);
    expect([...checkpointTensorToFloat32({ ...t, data: padded.subarray(1) })]).toEqual([1, 2, 3]);
  });
});

describe('exportForWeb', () => {
  const full: Checkpoint = smallCheckpoint('dcgan', { training: true });
  const fullBytes = encodeCheckpoint(full).length;

  for (const dtype of ['float32', 'float16', 'int8'] as const) {
    it(`${dtype}: generator only, no training state, 1-D tensors float32, and it decodes`, () => {
      const web = exportForWeb(full, { dtype });
      expect(web.discriminator).toEqual([]);
      expect(web.training).toBeUndefined();
      expect(web.spec).toEqual(full.spec);
      for (const t of web.generator) expect(t.dtype).toBe(t.shape.length <= 1 ? 'float32' : dtype);
      const bytes = encodeCheckpoint(web);
      expect(bytes.length).toBeLessThan(fullBytes);
      const back = decodeCheckpoint(bytes);
      web.generator.forEach((t, i) => {
        const original = checkpointTensorToFloat32(full.generator[i]!);
        const exported = checkpointTensorToFloat32(back.generator[i]!);
        const err = maxError(original, exported).abs;
        const bound = dtype === 'float32' || t.shape.length <= 1 ? 0 : dtype === 'float16' ? 2 ** -11 * Math.max(...original.map(Math.abs)) : Math.max(...t.scale) / 2;
        expect(err, t.name).toBeLessThanOrEqual(bound + 1e-9);
      });
    });
  }

  it('does not touch the original checkpoint', () => {
    const before = encodeCheckpoint(full);
    exportForWeb(full, { dtype: 'int8' });
    expect(encodeCheckpoint(full)).toEqual(before);
  });

  it('refuses a classifier, which has no generator', () => {
    expect(() => exportForWeb(smallCheckpoint('classifier'), { dtype: 'float16' })).toThrow(/no generator/);
  });
});
