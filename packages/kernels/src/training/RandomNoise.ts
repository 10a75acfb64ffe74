import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { noiseSecondKey, noiseValues, RANDOM_NOISE_KERNEL, type RandomNoiseAttrs } from '@forger/models/kernels';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';
import { alignedLength, HOST_SIMD_MIN_VALUES, HostSimdModule } from '../backend/host-simd-module.js';
import { dropoutMaskWasm } from './dropout-mask-wasm.js';

/**
 * Dropout and Gaussian noise made where they are applied (@forger/models' random-noise.ts defines them): on webgpu
 * one elementwise program hashes (seed, element) and applies the result, instead of an activation-sized mask filled
 * on the CPU and uploaded at every step; on cpu and wasm the same values from models' reference, applied in float32.
 * The dropout mask is the same bit for bit on all three (integer hashing, the keep test and scale in float32).
 */
function checked(inputs: Record<string, TensorInfo | undefined>, attrs: unknown): { x: TensorInfo; a: RandomNoiseAttrs } {
  const x = inputs['x'];
  if (x === undefined) throw new KernelError('bad-input', `${RANDOM_NOISE_KERNEL}: input "x" is missing`);
  const a = attrs as RandomNoiseAttrs;
  if (a.kind !== 'dropout' && a.kind !== 'gaussian') {
    throw new KernelError('unsupported-attrs', `${RANDOM_NOISE_KERNEL}: kind must be "dropout" or "gaussian", got ${JSON.stringify(a.kind)}`);
  }
  if (!Number.isInteger(a.seed) || a.seed < 0 || a.seed >= 2 ** 32) {
    throw new KernelError('unsupported-attrs', `${RANDOM_NOISE_KERNEL}: seed must be an integer in [0, 2^32), got ${a.seed}`);
  }
  if (a.kind === 'dropout' ? !(a.rate >= 0 && a.rate < 1) : !(a.rate >= 0)) {
    throw new KernelError('unsupported-attrs', `${RANDOM_NOISE_KERNEL}: ${a.kind === 'dropout' ? 'a dropout rate must be in [0, 1)' : 'a noise deviation must be ≥ 0'}, got ${a.rate}`);
  }
  return { x, a };
}

interface DropoutExports {
  dropout(n: number, x: number, out: number, seed: number, key2: number, rate: number, scale: number): void;
}

const dropoutModule = new HostSimdModule<DropoutExports>(dropoutMaskWasm);

/**
 * Dropout of `values` into `out` in WebAssembly SIMD (dropout-mask.wat): the same mask and the same float32
 * products, bit for bit, as noiseOnHost. False (nothing written) for Gaussian noise
 * (no SIMD logarithm or cosine), a small tensor, or an engine without WebAssembly SIMD.
 */
export function dropoutSimd(a: RandomNoiseAttrs, values: Float32Array, out: Float32Array): boolean {
  const n = values.length;
  if (a.kind !== 'dropout' || n < HOST_SIMD_MIN_VALUES) return false;
  const stride = alignedLength(n);
  const module = dropoutModule.heap(2 * stride);
  if (module === undefined) return false;
  const heap = module.floats;
  heap.set(values, 0);
  const seed = a.seed >>> 0;
  // i32 parameters: the same 32 bits, read as signed on the way in
  module.exports.dropout(n, 0, 4 * stride, seed | 0, noiseSecondKey(seed) | 0, Math.fround(a.rate), Math.fround(1 / (1 - a.rate)));
  out.set(heap.subarray(stride, stride + n));
  return true;
}

/** `values` with the noise applied, into `out`, in JavaScript: models' reference values, then one float32 op each. */
export function noiseOnHost(a: RandomNoiseAttrs, values: Float32Array, out: Float32Array): void {
  noiseValues(a, values.length, out);
  // Float32Array stores round once: the float32 product (sum) a GPU computes.
  if (a.kind === 'dropout') for (let i = 0; i < out.length; i++) out[i] = values[i]! * out[i]!;
  else for (let i = 0; i < out.length; i++) out[i] = values[i]! + out[i]!;
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, a } = checked(inputs, attrs);
    const h = hostArrays(backend as TensorMaker, backendName, RANDOM_NOISE_KERNEL, [x], [x.shape]);
    const values = h.inputs[0]!;
    const out = h.outputValues[0]!;
    if (!dropoutSimd(a, values, out)) noiseOnHost(a, values, out);
    return h.outputs[0]!;
  };
}

/** noiseBits and unitOf of random-noise.ts in WGSL (u32 arithmetic wraps like Math.imul). */
const hashWgsl = `
fn lowbias32(v: u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}
fn noiseBits(seed: u32, i: u32, j: u32) -> u32 {
  let key2 = lowbias32(seed ^ 0x9e3779b9u);
  return lowbias32(lowbias32((2u * i + j) ^ seed) ^ key2);
}
fn unitOf(bits: u32) -> f32 { return f32(bits >> 8u) * (1.0 / 16777216.0); }`;

const body: Record<RandomNoiseAttrs['kind'], string> = {
  // x times 0 rather than 0: a dropped negative value is −0, as on cpu and wasm.
  dropout: `  out[i] = x[i] * select(0.0, u.scale, unitOf(noiseBits(u.seed, i, 0u)) >= u.rate);`,
  gaussian: `  let u1 = unitOf(noiseBits(u.seed, i, 0u)) + (1.0 / 16777216.0);
  let u2 = unitOf(noiseBits(u.seed, i, 1u));
  out[i] = x[i] + u.rate * sqrt(-2.0 * log(u1)) * cos(3.141592653589793 * (2.0 * u2 - 1.0));`,
};

function randomNoiseWgsl(kind: RandomNoiseAttrs['kind']): string {
  return `
struct Noise { size: u32, seed: u32, rate: f32, scale: f32 }
${storageBindingsWgsl(['x'], ['out'], { name: 'u', type: 'Noise' })}
${hashWgsl}
${elementwiseMainWgsl('u.size', body[kind])}`;
}

const webGpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, a } = checked(inputs, attrs);
  const size = x.shape.reduce((p, q) => p * q, 1);
  const y = (backend as TensorMaker).makeTensorInfo(x.shape, 'float32');
  recordComputeDispatch(backend as TensorMaker, {
    name: `RandomNoiseProgram_${a.kind}`, code: randomNoiseWgsl(a.kind), reads: [x], writes: [y], threads: size,
    uniforms: [{ type: 'uint32', data: [size] }, { type: 'uint32', data: [a.seed] }, { type: 'float32', data: [a.rate] },
      { type: 'float32', data: [a.kind === 'dropout' ? 1 / (1 - a.rate) : 0] }],
  });
  return y;
};

export function randomNoiseConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: RANDOM_NOISE_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
