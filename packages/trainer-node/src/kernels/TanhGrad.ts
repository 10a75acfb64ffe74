import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { TANH_GRAD_KERNEL } from '@forger/models';
import { flatIndexWgsl, recordComputeDispatch, workgroupSize } from '../gpu/computeDispatch.js';
import { hostArrays, type TensorMaker } from '../optimizers/kernels/hostArrays.js';
import type { TrainingBackendName } from './backendKernels.js';
import { TrainingKernelError } from './trainingKernelError.js';

/**
 * tanh's gradient from its output, dx = (1 − y²)·dy, in one kernel: tfjs-core's gradient is three
 * (Square, Sub, Multiply), a GPU dispatch each, and keras-dcgan differentiates ten tanh per iteration.
 * @forger/models' `tanh` uses it wherever the active backend has it. Same float32 operations in the same
 * order as tfjs-core's, so cpu and wasm give its results bit for bit.
 */
export function tanhGradValues(dy: Float32Array, y: Float32Array, dx: Float32Array): void {
  const f = Math.fround;
  for (let i = 0; i < dx.length; i++) dx[i] = f(f(1 - f(y[i]! * y[i]!)) * dy[i]!);
}

const tanhGradWgsl = `
struct Size { size: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> u: Size;
${flatIndexWgsl}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flatIndex(gid, groups);
  if (i >= u.size) { return; }
  let yi = y[i];
  dx[i] = (1.0 - yi * yi) * dy[i];
}`;

function inputsOf(inputs: Record<string, TensorInfo | undefined>): [TensorInfo, TensorInfo] {
  const { dy, y } = inputs;
  if (dy === undefined || y === undefined) throw new TrainingKernelError('bad-input', `${TANH_GRAD_KERNEL}: inputs "dy" and "y" are both required`);
  if (dy.shape.join() !== y.shape.join()) {
    throw new TrainingKernelError('bad-input', `${TANH_GRAD_KERNEL}: dy is [${dy.shape.join(', ')}] but y is [${y.shape.join(', ')}]`);
  }
  return [dy, y];
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend }) => {
    const [dy, y] = inputsOf(inputs);
    const h = hostArrays(backend as TensorMaker, backendName, TANH_GRAD_KERNEL, [dy, y], [dy.shape]);
    tanhGradValues(h.inputs[0]!, h.inputs[1]!, h.outputValues[0]!);
    return h.outputs[0]!;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend }) => {
  const reads = inputsOf(inputs);
  const size = reads[0].shape.reduce((a, b) => a * b, 1);
  const dx = (backend as TensorMaker).makeTensorInfo(reads[0].shape, 'float32');
  recordComputeDispatch(backend as TensorMaker, { name: 'TanhGradProgram', code: tanhGradWgsl, reads, writes: [dx], threads: size, uniforms: [{ type: 'uint32', data: [size] }] });
  return dx;
};

export function tanhGradConfig(backendName: TrainingBackendName): KernelConfig {
  return { kernelName: TANH_GRAD_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
