import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SIGMOID_CROSS_ENTROPY_KERNEL } from '@forger/models/kernels';
import { recordComputeDispatch } from '../webgpu/compute-dispatch.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * A GAN loss in one kernel: Σᵢ wᵢ·CE(tᵢ, xᵢ), sigmoid cross-entropy from logits in the overflow-free form
 * max(x, 0) − x·t + log(1 + e^−|x|), weighted and summed (tfjs-core's ops: 5 kernels). A GAN's logits are one
 * per image, so one workgroup sums them all. Targets and weights come as tensors of the logits' shape or as
 * the attributes `target` and `weight`. The gradient is SigmoidCrossEntropyGrad.ts.
 */
export interface CrossEntropyAttrs { target: number; weight: number }

export interface CrossEntropyInputs { logits: TensorInfo; targets: TensorInfo | undefined; weights: TensorInfo | undefined; size: number }

/** The logits, and the targets and weights tensors when given (checked to have the logits' shape). */
export function crossEntropyInputs(kernelName: string, inputs: Record<string, TensorInfo | undefined>): CrossEntropyInputs {
  const { logits, targets, weights } = inputs;
  if (logits === undefined) throw new KernelError('bad-input', `${kernelName}: input "logits" is missing`);
  for (const [name, t] of [['targets', targets], ['weights', weights]] as const) {
    if (t !== undefined && t.shape.join() !== logits.shape.join()) {
      throw new KernelError('bad-input', `${kernelName}: "${name}" is [${t.shape.join(', ')}] but the logits are [${logits.shape.join(', ')}]`);
    }
  }
  return { logits, targets, weights, size: logits.shape.reduce((a, b) => a * b, 1) };
}

/** WGSL declarations shared by the loss and its gradient: `targetAt(i)`, `weightAt(i)` read a tensor or the uniform. */
export interface CrossEntropyBindings { code: string; reads: TensorInfo[]; next: number }

export function crossEntropyBindings(c: CrossEntropyInputs, first: number): CrossEntropyBindings {
  let binding = first;
  const reads: TensorInfo[] = [];
  let code = '';
  for (const [name, t, uniform] of [['targets', c.targets, 'targetValue'], ['weights', c.weights, 'weightValue']] as const) {
    const fn = name === 'targets' ? 'targetAt' : 'weightAt';
    if (t !== undefined) {
      code += `@group(0) @binding(${binding++}) var<storage, read> ${name}: array<f32>;\nfn ${fn}(i: u32) -> f32 { return ${name}[i]; }\n`;
      reads.push(t);
    } else {
      code += `fn ${fn}(i: u32) -> f32 { return u.${uniform}; }\n`;
    }
  }
  return { code, reads, next: binding };
}

const THREADS = 256;

/** `b`: crossEntropyBindings(c, 1), computed once by the caller, which also binds its tensors. */
function crossEntropyWgsl(b: CrossEntropyBindings): string {
  return `
struct Hyper { size: u32, targetValue: f32, weightValue: f32 }
@group(0) @binding(0) var<storage, read> logits: array<f32>;
${b.code}
@group(0) @binding(${b.next}) var<storage, read_write> loss: array<f32>;
@group(0) @binding(${b.next + 1}) var<uniform> u: Hyper;
var<workgroup> partialSums: array<f32, ${THREADS}>;

fn crossEntropy(x: f32, t: f32) -> f32 {
  let e = exp(-abs(x));
  // log(1 + e) loses e below 1e-4 in float32 (WGSL has no log1p): the series' first terms keep it.
  let softplusTail = select(log(1.0 + e), e - 0.5 * e * e, e < 1e-4);
  return max(x, 0.0) - x * t + softplusTail;
}

@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_id) local: vec3<u32>) {
  let t = local.x;
  var sum = 0.0;
  for (var i = t; i < u.size; i += ${THREADS}u) { sum += weightAt(i) * crossEntropy(logits[i], targetAt(i)); }
  partialSums[t] = sum;
  workgroupBarrier();
  for (var stride = ${THREADS / 2}u; stride > 0u; stride = stride >> 1u) {
    if (t < stride) { partialSums[t] += partialSums[t + stride]; }
    workgroupBarrier();
  }
  if (t == 0u) { loss[0] = partialSums[0]; }
}`;
}

export function crossEntropyValue(x: number, t: number): number {
  return Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const c = crossEntropyInputs(SIGMOID_CROSS_ENTROPY_KERNEL, inputs);
    const given = [c.logits, ...(c.targets ? [c.targets] : []), ...(c.weights ? [c.weights] : [])];
    const h = hostArrays(backend as TensorMaker, backendName, SIGMOID_CROSS_ENTROPY_KERNEL, given, [[]]);
    const [x, ...rest] = h.inputs as [Float32Array, ...Float32Array[]];
    const targets = c.targets ? rest.shift() : undefined;
    const weights = c.weights ? rest.shift() : undefined;
    const a = attrs as unknown as CrossEntropyAttrs;
    let sum = 0;
    for (let i = 0; i < c.size; i++) sum += (weights ? weights[i]! : a.weight) * crossEntropyValue(x[i]!, targets ? targets[i]! : a.target);
    h.outputValues[0]![0] = sum;
    return h.outputs[0]!;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const c = crossEntropyInputs(SIGMOID_CROSS_ENTROPY_KERNEL, inputs);
  const a = attrs as unknown as CrossEntropyAttrs;
  const loss = (backend as TensorMaker).makeTensorInfo([], 'float32');
  const b = crossEntropyBindings(c, 1);
  recordComputeDispatch(backend as TensorMaker, {
    name: `SigmoidCrossEntropyProgram_${c.targets ? 't' : ''}${c.weights ? 'w' : ''}`, code: crossEntropyWgsl(b),
    reads: [c.logits, ...b.reads], writes: [loss],
    uniforms: [{ type: 'uint32', data: [c.size] }, { type: 'float32', data: [a.target] }, { type: 'float32', data: [a.weight] }],
    workgroups: [1, 1, 1],
  });
  return loss;
};

export function sigmoidCrossEntropyConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: SIGMOID_CROSS_ENTROPY_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
