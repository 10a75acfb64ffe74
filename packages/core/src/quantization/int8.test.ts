import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import { Rng } from '../rng.js';
import { dequantizeInt8, quantizeInt8 } from './int8.js';

function maxAbsErrorOverScale(values: Float32Array, back: Float32Array, scaleOf: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(back[i]! - values[i]!) / scaleOf(i));
  return worst;
}

describe('int8 symmetric quantization', () => {
  // A DCGAN conv kernel [5, 5, 64, 128] initialised N(0, 0.02), with channels of very different spread.
  const shape = [5, 5, 64, 128];
  const rng = Rng.fromSeed(21);
  const values = new Float32Array(5 * 5 * 64 * 128);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * 0.02 * (1 + (i % 128) / 16);

  it('per tensor: scale = max|w|/127 and every error ≤ scale/2', () => {
    const { data, scale } = quantizeInt8(values, shape);
    const maxAbs = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(scale).toEqual([Math.fround(maxAbs / 127)]);
    const back = dequantizeInt8(data, scale, shape);
    const worst = maxAbsErrorOverScale(values, back, () => scale[0]!);
    // Half a step, plus float32 rounding of q·scale.
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-5);
    expect(worst).toBeGreaterThan(0.45);
    expect(data).toHaveLength(values.length);
  });

  it('per channel (last axis): each channel has its own scale, errors ≤ its scale/2, and smaller than per tensor', () => {
    const perTensor = quantizeInt8(values, shape);
    const perChannel = quantizeInt8(values, shape, 3);
    expect(perChannel.scale).toHaveLength(128);
    const back = dequantizeInt8(perChannel.data, perChannel.scale, shape, 3);
    const worst = maxAbsErrorOverScale(values, back, (i) => perChannel.scale[i % 128]!);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-5);
    const rms = (b: Float32Array) => Math.sqrt(values.reduce((s, v, i) => s + (b[i]! - v) ** 2, 0) / values.length);
    const rmsTensor = rms(dequantizeInt8(perTensor.data, perTensor.scale, shape));
    const rmsChannel = rms(back);
    expect(rmsChannel).toBeLessThan(rmsTensor * 0.8);
  });

  it('per channel on a middle axis maps elements to the right channel', () => {
    const s = [2, 3, 2];
    // Channel c (axis 1) holds values of magnitude 10^c.
    const v = Float32Array.from({ length: 12 }, (_, i) => 10 ** (Math.floor(i / 2) % 3) * (i % 2 === 0 ? 1 : -0.5));
    const q = quantizeInt8(v, s, 1);
    expect(q.scale.map((x) => x * 127)).toEqual([1, 10, 100].map((m) => expect.closeTo(m, 4)));
    const back = dequantizeInt8(q.data, q.scale, s, 1);
    // Channel 2's ±100 is exact, its -50 is off by at most half of its step 100/127.
    expect(maxAbsErrorOverScale(v, back, (i) => q.scale[Math.floor(i / 2) % 3]!)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(back[4]).toBeCloseTo(100, 4);
    expect(Math.abs(back[5]! + 50)).toBeGreaterThan(0.1); // a coarse step: the channel's scale, not another's, was used
  });

  it('keeps zeros exact, never writes -128, and refuses non-finite values', () => {
    const q = quantizeInt8(Float32Array.of(0, 0, 0), [3]);
    expect(q.scale).toEqual([1]);
    expect([...dequantizeInt8(q.data, q.scale, [3])]).toEqual([0, 0, 0]);
    const r = quantizeInt8(Float32Array.of(-1, 1, 0.5), [3]);
    expect([...new Int8Array(r.data.buffer)]).toEqual([-127, 127, 64]);
    expect(() => quantizeInt8(Float32Array.of(1, Number.NaN), [2])).toThrow(CheckpointError);
  });
});
