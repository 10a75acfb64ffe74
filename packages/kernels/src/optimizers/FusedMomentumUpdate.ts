import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { KernelError } from '../backend/kernel-error.js';
import { hostArrays } from '../backend/host-arrays.js';
import type { KernelBackendName, HostBackendName } from '../backend/backend-names.js';
import type { TensorMaker } from '../backend/tensor-maker.js';

/**
 * One SGD-with-momentum update of one variable in one kernel, in tfjs-core's MomentumOptimizer's order
 * of float32 operations:
 *   a' = μ·a + g;   Nesterov (Sutskever et al. 2013, as Keras): w' = (−lr)·(g + a'·μ) + w;   else w' = (−lr)·a' + w
 * keras-dcgan trains both networks this way (SGD lr 0.0005, momentum 0.9, nesterov); tfjs-core spends
 * 6 kernels per variable. Inputs: variable, gradient, accumulation. Outputs: [variable', accumulation'].
 */
export const fusedMomentumUpdateName = 'ForgerFusedMomentumUpdate';

export interface FusedMomentumAttrs {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
}

export function momentumUpdateValues(
  a: FusedMomentumAttrs, w: Float32Array, g: Float32Array, acc: Float32Array, outW: Float32Array, outAcc: Float32Array,
): void {
  const f = Math.fround;
  const mu = f(a.momentum);
  const negLearningRate = f(-a.learningRate);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const ai = f(f(mu * acc[i]!) + gi);
    outAcc[i] = ai;
    outW[i] = a.useNesterov ? f(f(negLearningRate * f(gi + f(ai * mu))) + w[i]!) : f(f(negLearningRate * ai) + w[i]!);
  }
}

const momentumWgsl = `
struct Hyper { momentum: f32, negLearningRate: f32, nesterov: u32, size: u32 }
${storageBindingsWgsl(['variable', 'gradient', 'accumulation'], ['newVariable', 'newAccumulation'], { name: 'hyper', type: 'Hyper' })}
${elementwiseMainWgsl('hyper.size', `  let g = gradient[i];
  let a = hyper.momentum * accumulation[i] + g;
  newAccumulation[i] = a;
  if (hyper.nesterov != 0u) {
    newVariable[i] = hyper.negLearningRate * (g + a * hyper.momentum) + variable[i];
  } else {
    newVariable[i] = hyper.negLearningRate * a + variable[i];
  }`)}`;

function inputsOf(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const names = ['variable', 'gradient', 'accumulation'] as const;
  const list = names.map((n) => {
    const t = inputs[n];
    if (t === undefined) throw new KernelError('bad-input', `${fusedMomentumUpdateName}: input "${n}" is missing`, { where: fusedMomentumUpdateName });
    return t;
  });
  for (const [i, t] of list.entries()) {
    if (t.shape.join() !== list[0]!.shape.join()) {
      throw new KernelError('bad-input', `${fusedMomentumUpdateName}: "${names[i]}" is [${t.shape.join(', ')}] but the variable is [${list[0]!.shape.join(', ')}]`, { where: fusedMomentumUpdateName });
    }
  }
  return list;
}

function hostKernel(backendName: HostBackendName): KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as TensorMaker;
    const list = inputsOf(inputs);
    const shape = list[0]!.shape;
    const h = hostArrays(backend, backendName, fusedMomentumUpdateName, list, [shape, shape]);
    const [w, g, acc] = h.inputs as [Float32Array, Float32Array, Float32Array];
    momentumUpdateValues(attrs as unknown as FusedMomentumAttrs, w, g, acc, h.outputValues[0]!, h.outputValues[1]!);
    return h.outputs;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as TensorMaker;
  const a = attrs as unknown as FusedMomentumAttrs;
  const reads = inputsOf(inputs);
  const shape = reads[0]!.shape;
  const size = shape.reduce((x, y) => x * y, 1);
  const writes = [0, 1].map(() => backend.makeTensorInfo(shape, 'float32'));
  recordComputeDispatch(backend, {
    name: 'FusedMomentumUpdateProgram', code: momentumWgsl, reads, writes, threads: size,
    uniforms: [
      { type: 'float32', data: [a.momentum] }, { type: 'float32', data: [-a.learningRate] },
      { type: 'uint32', data: [a.useNesterov ? 1 : 0] }, { type: 'uint32', data: [size] },
    ],
  });
  return writes;
};

export function fusedMomentumUpdateConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: fusedMomentumUpdateName, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
