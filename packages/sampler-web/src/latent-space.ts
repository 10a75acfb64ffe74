import { SamplerError } from './sampler-error.js';

/**
 * Walks from z0 to z1 in `steps` points (both ends included). Linear
 * interpolation cuts through the low-density middle of a Gaussian prior, where
 * samples look washed out; slerp follows the great circle instead (White 2016,
 * "Sampling Generative Networks", §2.2), so it is the default.
 */
export function interpolateLatents(
  z0: Float32Array,
  z1: Float32Array,
  steps: number,
  opts: { slerp?: boolean } = {},
): Float32Array {
  const dim = z0.length;
  if (z1.length !== dim) {
    throw new SamplerError('invalid-argument', `interpolate: z0 has ${dim} values but z1 has ${z1.length}; both must be one latent vector`, {
      where: 'z1',
    });
  }
  if (!Number.isInteger(steps) || steps < 2) {
    throw new SamplerError('invalid-argument', `interpolate: steps must be an integer ≥ 2 (both ends are included), got ${steps}`, {
      where: 'steps',
    });
  }
  const out = new Float32Array(steps * dim);
  const omega = Math.acos(clamp(dot(z0, z1) / (norm(z0) * norm(z1) || 1), -1, 1));
  // Nearly parallel vectors make sin(omega) vanish; lerp is exact enough there.
  const useSlerp = (opts.slerp ?? true) && Math.sin(omega) > 1e-6;
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    let w0 = 1 - t;
    let w1 = t;
    if (useSlerp) {
      w0 = Math.sin((1 - t) * omega) / Math.sin(omega);
      w1 = Math.sin(t * omega) / Math.sin(omega);
    }
    for (let i = 0; i < dim; i++) out[s * dim + i] = w0 * z0[i]! + w1 * z1[i]!;
  }
  return out;
}

/**
 * a − b + c in latent space, the DCGAN paper's vector arithmetic (Radford et al.
 * 2015, §6.3: "smiling woman − neutral woman + neutral man"). Each argument may
 * hold several vectors of one concept; they are averaged first, as the paper
 * averages three exemplars, because single samples are too noisy.
 */
export function latentArithmetic(a: Float32Array, b: Float32Array, c: Float32Array, latentDim: number): Float32Array {
  const [ma, mb, mc] = [meanVector(a, latentDim, 'a'), meanVector(b, latentDim, 'b'), meanVector(c, latentDim, 'c')];
  const out = new Float32Array(latentDim);
  for (let i = 0; i < latentDim; i++) out[i] = ma[i]! - mb[i]! + mc[i]!;
  return out;
}

function meanVector(z: Float32Array, dim: number, where: string): Float32Array {
  if (z.length === 0 || z.length % dim !== 0) {
    throw new SamplerError(
      'invalid-argument',
      `arithmetic: ${where} has ${z.length} values, not a whole number of ${dim}-dimensional latent vectors`,
      { where },
    );
  }
  const count = z.length / dim;
  const mean = new Float32Array(dim);
  for (let k = 0; k < count; k++) for (let i = 0; i < dim; i++) mean[i]! += z[k * dim + i]! / count;
  return mean;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
