import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SIGMOID_CROSS_ENTROPY_GRAD_KERNEL } from '@forger/models/kernels';
import { flatIndexWgsl, recordComputeDispatch, workgroupSize } from '../webgpu/compute-dispatch.js';
import { hostArrays } from '../backend/host-arrays.js';
import { crossEntropyBindings, crossEntropyInputs, type CrossEntropyAttrs, type CrossEntropyBindings } from './SigmoidCrossEntropy.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * The gradient of SigmoidCrossEntropy.ts's weighted sum: (σ(x) − t)·w·dy for a scalar dy, one kernel where
 * tfjs-core's ops take four (Sigmoid, Sub, Multiply, Multiply).
 */
/** `b`: crossEntropyBindings(c, 2), computed once by the caller, which also binds its tensors. */
function gradWgsl(b: CrossEntropyBindings): string {
  return `
struct Hyper { size: u32, targetValue: f32, weightValue: f32 }
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
${b.code}
@group(0) @binding(${b.next}) var<storage, read_write> dx: array<f32>;
@group(0) @binding(${b.next + 1}) var<uniform> u: Hyper;
${flatIndexWgsl}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flatIndex(gid, groups);
  if (i >= u.size) { return; }
  let probability = 1.0 / (1.0 + exp(-logits[i]));
  dx[i] = (probability - targetAt(i)) * (weightAt(i) * dy[0]);
}`;
}

function scalarDy(inputs: Record<string, TensorInfo | undefined>): TensorInfo {
  const dy = inputs['dy'];
  if (dy === undefined || dy.shape.reduce((a, b) => a * b, 1) !== 1) {
    throw new KernelError('bad-input', `${SIGMOID_CROSS_ENTROPY_GRAD_KERNEL}: "dy" must be the loss's scalar gradient, got ${dy === undefined ? 'none' : `[${dy.shape.join(', ')}]`}`);
  }
  return dy;
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const c = crossEntropyInputs(SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, inputs);
    const dy = scalarDy(inputs);
    const given = [c.logits, dy, ...(c.targets ? [c.targets] : []), ...(c.weights ? [c.weights] : [])];
    const h = hostArrays(backend as TensorMaker, backendName, SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, given, [c.logits.shape]);
    const [x, g, ...rest] = h.inputs as [Float32Array, Float32Array, ...Float32Array[]];
    const targets = c.targets ? rest.shift() : undefined;
    const weights = c.weights ? rest.shift() : undefined;
    const a = attrs as unknown as CrossEntropyAttrs;
    const f = Math.fround;
    const dx = h.outputValues[0]!;
    for (let i = 0; i < c.size; i++) {
      const probability = f(1 / (1 + Math.exp(-x[i]!)));
      dx[i] = f(f(probability - (targets ? targets[i]! : f(a.target))) * f((weights ? weights[i]! : f(a.weight)) * g[0]!));
    }
    return h.outputs[0]!;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const c = crossEntropyInputs(SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, inputs);
  const dy = scalarDy(inputs);
  const a = attrs as unknown as CrossEntropyAttrs;
  const dx = (backend as TensorMaker).makeTensorInfo(c.logits.shape, 'float32');
  const b = crossEntropyBindings(c, 2);
  recordComputeDispatch(backend as TensorMaker, {
    name: `SigmoidCrossEntropyGradProgram_${c.targets ? 't' : ''}${c.weights ? 'w' : ''}`, code: gradWgsl(b),
    reads: [c.logits, dy, ...b.reads], writes: [dx], threads: c.size,
    uniforms: [{ type: 'uint32', data: [c.size] }, { type: 'float32', data: [a.target] }, { type: 'float32', data: [a.weight] }],
  });
  return dx;
};

export function sigmoidCrossEntropyGradConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: SIGMOID_CROSS_ENTROPY_GRAD_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
