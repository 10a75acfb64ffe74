import { describe, expect, it } from 'vitest';
import { interpolateLatents, latentArithmetic } from './latent-space.js';
import { SamplerError } from './sampler-error.js';

const norm = (v: Float32Array) => Math.hypot(...v);

describe('interpolateLatents', () => {
  const z0 = new Float32Array([3, 0]);
  const z1 = new Float32Array([0, 3]);

  it('starts at z0 and ends at z1', () => {
    const path = interpolateLatents(z0, z1, 5);
    expect(Array.from(path.subarray(0, 2))).toEqual([3, 0]);
    expect(path[8]).toBeCloseTo(0, 6);
    expect(path[9]).toBeCloseTo(3, 6);
  });

  it('slerp keeps the norm of equal-norm endpoints; lerp shrinks it in the middle', () => {
    const slerp = interpolateLatents(z0, z1, 3, { slerp: true });
    const lerp = interpolateLatents(z0, z1, 3, { slerp: false });
    expect(norm(slerp.subarray(2, 4))).toBeCloseTo(3, 5);
    expect(norm(lerp.subarray(2, 4))).toBeCloseTo(3 / Math.SQRT2, 5);
  });

  it('falls back to lerp for parallel vectors instead of dividing by zero', () => {
    const path = interpolateLatents(new Float32Array([1, 1]), new Float32Array([2, 2]), 3);
    expect(Array.from(path)).toEqual([1, 1, 1.5, 1.5, 2, 2]);
  });

  it('rejects mismatched lengths and fewer than two steps with a typed error', () => {
    expect(() => interpolateLatents(z0, new Float32Array(3), 4)).toThrow(SamplerError);
    expect(() => interpolateLatents(z0, z1, 1)).toThrow(/steps must be an integer ≥ 2/);
  });
});

describe('latentArithmetic', () => {
  it('computes mean(a) − mean(b) + mean(c)', () => {
    const a = new Float32Array([1, 2, 3, 4]); // two exemplars: mean [2, 3]
    const b = new Float32Array([1, 1]);
    const c = new Float32Array([0, 10, 2, 10]); // mean [1, 10]
    expect(Array.from(latentArithmetic(a, b, c, 2))).toEqual([2, 12]);
  });

  it('names the argument that is not a whole number of vectors', () => {
    try {
      latentArithmetic(new Float32Array(2), new Float32Array(3), new Float32Array(2), 2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SamplerError);
      expect((e as SamplerError).code).toBe('invalid-argument');
      expect((e as SamplerError).where).toBe('b');
    }
  });
});
