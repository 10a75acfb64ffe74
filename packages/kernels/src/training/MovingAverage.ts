import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { MOVING_AVERAGE_KERNEL } from '@forger/models/kernels';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Batch norm's two moving statistics in one kernel, moving·m + batch·(1 − m) for the mean and the variance
 * (Keras semantics, see @forger/models' batch-norm layer): tfjs-core's ops take six, and SSGAN-Tensorflow
 * updates eight batch norms per step. The same float32 operations in the same order as those ops, with m and
 * 1 − m rounded to float32 as tfjs-core's scalars are, so cpu and wasm give their results bit for bit.
 */
export interface MovingAverageAttrs { momentum: number }

export function movingAverageValues(momentum: number, moving: Float32Array, batch: Float32Array, out: Float32Array): void {
  const f = Math.fround;
  const m = f(momentum);
  const rest = f(1 - momentum);
  for (let i = 0; i < out.length; i++) out[i] = f(f(moving[i]! * m) + f(batch[i]! * rest));
}

const movingAverageWgsl = `
struct Hyper { momentum: f32, rest: f32, size: u32 }
${storageBindingsWgsl(['movingMean', 'movingVariance', 'mean', 'variance'], ['newMean', 'newVariance'], { name: 'hyper', type: 'Hyper' })}
${elementwiseMainWgsl('hyper.size', `  newMean[i] = movingMean[i] * hyper.momentum + mean[i] * hyper.rest;
  newVariance[i] = movingVariance[i] * hyper.momentum + variance[i] * hyper.rest;`)}`;

const inputNames = ['movingMean', 'movingVariance', 'mean', 'variance'] as const;

function inputsOf(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const list = inputNames.map((n) => {
    const t = inputs[n];
    if (t === undefined) throw new KernelError('bad-input', `${MOVING_AVERAGE_KERNEL}: input "${n}" is missing`);
    return t;
  });
  for (const [i, t] of list.entries()) {
    if (t.shape.join() !== list[0]!.shape.join()) {
      throw new KernelError('bad-input', `${MOVING_AVERAGE_KERNEL}: "${inputNames[i]}" is [${t.shape.join(', ')}] but "movingMean" is [${list[0]!.shape.join(', ')}]`);
    }
  }
  return list;
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const list = inputsOf(inputs);
    const shape = list[0]!.shape;
    const h = hostArrays(backend as TensorMaker, backendName, MOVING_AVERAGE_KERNEL, list, [shape, shape]);
    const [movingMean, movingVariance, mean, variance] = h.inputs as [Float32Array, Float32Array, Float32Array, Float32Array];
    const { momentum } = attrs as unknown as MovingAverageAttrs;
    movingAverageValues(momentum, movingMean, mean, h.outputValues[0]!);
    movingAverageValues(momentum, movingVariance, variance, h.outputValues[1]!);
    return h.outputs;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const reads = inputsOf(inputs);
  const shape = reads[0]!.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const { momentum } = attrs as unknown as MovingAverageAttrs;
  const writes = [0, 1].map(() => (backend as TensorMaker).makeTensorInfo(shape, 'float32'));
  recordComputeDispatch(backend as TensorMaker, {
    name: 'MovingAverageProgram', code: movingAverageWgsl, reads, writes, threads: size,
    uniforms: [{ type: 'float32', data: [momentum] }, { type: 'float32', data: [1 - momentum] }, { type: 'uint32', data: [size] }],
  });
  return writes;
};

export function movingAverageConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: MOVING_AVERAGE_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
