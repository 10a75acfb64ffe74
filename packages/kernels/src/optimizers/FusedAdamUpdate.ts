import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { KernelError } from '../backend/kernel-error.js';
import { hostArrays } from '../backend/host-arrays.js';
import type { KernelBackendName, HostBackendName } from '../backend/backend-names.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import { alignedLength, HOST_SIMD_MIN_VALUES, HostSimdModule } from '../backend/host-simd-module.js';
import { adamUpdateWasm } from './adam-update-wasm.js';

/**
 * One Adam update of one variable in one kernel (Kingma & Ba 2015, Algorithm 1, with tfjs-core's
 * AdamOptimizer's order of float32 operations, so both give the same weights):
 *   m' = m·β1 + g·(1−β1);  v' = v·β2 + g²·(1−β2)
 *   w' = (m'/(1−β1^t)) / (√(v'/(1−β2^t)) + ε) · (−lr) + w
 * tfjs-core spends 14 elementwise kernels per variable on this (issue 7's profile: most of 145 Multiply,
 * 102 Add, 65 RealDiv per iteration). Inputs: variable, gradient, firstMoment, secondMoment and
 * biasCorrection = [1−β1^t, 1−β2^t] (from FusedAdamBetaPowers). Outputs: [variable', m', v'].
 */
export const fusedAdamUpdateName = 'ForgerFusedAdamUpdate';

export interface FusedAdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The float32 constants tfjs-core makes of the hyper-parameters (scalars are float32 tensors there). */
function constantsOf(a: FusedAdamAttrs): { beta1: number; beta2: number; oneMinusBeta1: number; oneMinusBeta2: number; epsilon: number; negLearningRate: number } {
  const f = Math.fround;
  return { beta1: f(a.beta1), beta2: f(a.beta2), oneMinusBeta1: f(1 - a.beta1), oneMinusBeta2: f(1 - a.beta2), epsilon: f(a.epsilon), negLearningRate: f(-a.learningRate) };
}

/** One Adam update on host arrays: the variable, its gradient and moments, [1−β1^t, 1−β2^t], then w', m', v'. */
type HostAdamUpdate<Result> = (
  a: FusedAdamAttrs,
  w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, biasCorrection: Float32Array,
  outW: Float32Array, outM: Float32Array, outV: Float32Array,
) => Result;

/**
 * The update on float32 arrays, each operation rounded to float32 as a float32 backend does (a double
 * result of one +, −, ×, ÷ or √ of float32 values, rounded once, is the correctly rounded float32).
 */
export const adamUpdateValues: HostAdamUpdate<void> = (a, w, g, m, v, biasCorrection, outW, outM, outV) => {
  const f = Math.fround;
  const c = constantsOf(a);
  const correction1 = biasCorrection[0]!;
  const correction2 = biasCorrection[1]!;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * c.beta1) + f(gi * c.oneMinusBeta1));
    const vi = f(f(v[i]! * c.beta2) + f(f(gi * gi) * c.oneMinusBeta2));
    const mHat = f(mi / correction1);
    const vHat = f(vi / correction2);
    outM[i] = mi;
    outV[i] = vi;
    outW[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + c.epsilon)) * c.negLearningRate) + w[i]!);
  }
};

interface AdamUpdateExports {
  adamUpdate(n: number, w: number, g: number, m: number, v: number, beta1: number, beta2: number, oneMinusBeta1: number,
    oneMinusBeta2: number, epsilon: number, negLearningRate: number, correction1: number, correction2: number): void;
}

const adamModule = new HostSimdModule<AdamUpdateExports>(adamUpdateWasm);

/**
 * adamUpdateValues in WebAssembly SIMD (adam-update.wat): the same float32 operations in the same order, each
 * correctly rounded in both, so the same bits, 4–7× faster per call copies included (bench/results/). False (nothing
 * written) when the array is small or the engine has no WebAssembly SIMD.
 */
export const adamUpdateSimd: HostAdamUpdate<boolean> = (a, w, g, m, v, biasCorrection, outW, outM, outV) => {
  const n = w.length;
  if (n < HOST_SIMD_MIN_VALUES) return false;
  const stride = alignedLength(n);
  const module = adamModule.heap(4 * stride);
  if (module === undefined) return false;
  const heap = module.floats;
  heap.set(w, 0);
  heap.set(g, stride);
  heap.set(m, 2 * stride);
  heap.set(v, 3 * stride);
  const c = constantsOf(a);
  module.exports.adamUpdate(n, 0, 4 * stride, 8 * stride, 12 * stride, c.beta1, c.beta2, c.oneMinusBeta1, c.oneMinusBeta2,
    c.epsilon, c.negLearningRate, biasCorrection[0]!, biasCorrection[1]!);
  outW.set(heap.subarray(0, n));
  outM.set(heap.subarray(2 * stride, 2 * stride + n));
  outV.set(heap.subarray(3 * stride, 3 * stride + n));
  return true;
};

const adamWgsl = `
struct Hyper { beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, epsilon: f32, negLearningRate: f32, size: u32 }
${storageBindingsWgsl(['variable', 'gradient', 'firstMoment', 'secondMoment', 'biasCorrection'], ['newVariable', 'newFirstMoment', 'newSecondMoment'], { name: 'hyper', type: 'Hyper' })}
${elementwiseMainWgsl('hyper.size', `  let g = gradient[i];
  let m = firstMoment[i] * hyper.beta1 + g * hyper.oneMinusBeta1;
  let v = secondMoment[i] * hyper.beta2 + (g * g) * hyper.oneMinusBeta2;
  let mHat = m / biasCorrection[0];
  let vHat = v / biasCorrection[1];
  newFirstMoment[i] = m;
  newSecondMoment[i] = v;
  newVariable[i] = (mHat / (sqrt(vHat) + hyper.epsilon)) * hyper.negLearningRate + variable[i];`)}`;

function inputsOf(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const names = ['variable', 'gradient', 'firstMoment', 'secondMoment', 'biasCorrection'] as const;
  const list = names.map((n) => {
    const t = inputs[n];
    if (t === undefined) throw new KernelError('bad-input', `${fusedAdamUpdateName}: input "${n}" is missing`, { where: fusedAdamUpdateName });
    return t;
  });
  const [variable, ...rest] = list;
  for (const [i, t] of rest.slice(0, 3).entries()) {
    if (t.shape.join() !== variable!.shape.join()) {
      throw new KernelError('bad-input', `${fusedAdamUpdateName}: "${names[i + 1]}" is [${t.shape.join(', ')}] but the variable is [${variable!.shape.join(', ')}]`, { where: fusedAdamUpdateName });
    }
  }
  return list;
}

function hostKernel(backendName: HostBackendName): KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as TensorMaker;
    const list = inputsOf(inputs);
    const shape = list[0]!.shape;
    const h = hostArrays(backend, backendName, fusedAdamUpdateName, list, [shape, shape, shape]);
    const [w, g, m, v, correction] = h.inputs as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const [outW, outM, outV] = h.outputValues as [Float32Array, Float32Array, Float32Array];
    const a = attrs as unknown as FusedAdamAttrs;
    if (!adamUpdateSimd(a, w, g, m, v, correction, outW, outM, outV)) adamUpdateValues(a, w, g, m, v, correction, outW, outM, outV);
    return h.outputs;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as TensorMaker;
  const reads = inputsOf(inputs);
  const shape = reads[0]!.shape;
  const writes = [0, 1, 2].map(() => backend.makeTensorInfo(shape, 'float32'));
  const c = constantsOf(attrs as unknown as FusedAdamAttrs);
  const size = shape.reduce((a, b) => a * b, 1);
  recordComputeDispatch(backend, {
    name: 'FusedAdamUpdateProgram', code: adamWgsl, reads, writes, threads: size,
    uniforms: [
      ...[c.beta1, c.beta2, c.oneMinusBeta1, c.oneMinusBeta2, c.epsilon, c.negLearningRate].map((x) => ({ type: 'float32' as const, data: [x] })),
      { type: 'uint32', data: [size] },
    ],
  });
  return writes;
};

export function fusedAdamUpdateConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: fusedAdamUpdateName, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
