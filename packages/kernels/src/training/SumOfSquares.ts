import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SUM_OF_SQUARES_KERNEL, SUM_OF_SQUARES_MOST_INPUTS, SUM_OF_SQUARES_PARTS } from '@forger/models/kernels';
import { recordComputeDispatch, workgroupSize } from '../webgpu/compute-dispatch.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Σ x² over all elements of up to 7 tensors: gradient clipping's global norm in one kernel per group of gradients.
 * The output is SUM_OF_SQUARES_PARTS partial sums: on webgpu one per workgroup (each strides over every input, then
 * a tree sum in workgroup memory), so millions of elements are spread over the GPU without a second pass; the caller
 * sums them. On cpu the total goes in the first part, in float64.
 */
export function sumOfSquaresValues(inputs: Float32Array[], out: Float32Array): void {
  let total = 0;
  for (const x of inputs) for (let i = 0; i < x.length; i++) total += x[i]! * x[i]!;
  out.fill(0);
  out[0] = total;
}

function sumOfSquaresWgsl(count: number): string {
  const indices = Array.from({ length: count }, (_, k) => k);
  return `
struct Sizes { ${indices.map((k) => `s${k}: u32`).join(', ')} }
${indices.map((k) => `@group(0) @binding(${k}) var<storage, read> x${k}: array<f32>;`).join('\n')}
@group(0) @binding(${count}) var<storage, read_write> parts: array<f32>;
@group(0) @binding(${count + 1}) var<uniform> u: Sizes;
const THREADS = ${workgroupSize}u;
const STRIDE = ${workgroupSize * SUM_OF_SQUARES_PARTS}u;
var<workgroup> partial: array<f32, ${workgroupSize}>;
@compute @workgroup_size(THREADS)
fn main(@builtin(local_invocation_id) local: vec3<u32>, @builtin(workgroup_id) workgroup: vec3<u32>) {
  let start = workgroup.x * THREADS + local.x;
  var sum = 0.0;
${indices.map((k) => `  for (var i = start; i < u.s${k}; i += STRIDE) { let v = x${k}[i]; sum += v * v; }`).join('\n')}
  partial[local.x] = sum;
  workgroupBarrier();
  for (var width = THREADS / 2u; width > 0u; width = width >> 1u) {
    if (local.x < width) { partial[local.x] += partial[local.x + width]; }
    workgroupBarrier();
  }
  if (local.x == 0u) { parts[workgroup.x] = partial[0]; }
}`;
}

function inputsOf(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const list: TensorInfo[] = [];
  for (let k = 0; inputs[`x${k}`] !== undefined; k++) list.push(inputs[`x${k}`]!);
  if (list.length === 0 || list.length > SUM_OF_SQUARES_MOST_INPUTS || Object.keys(inputs).length !== list.length) {
    throw new KernelError(
      'bad-input',
      `${SUM_OF_SQUARES_KERNEL}: inputs must be x0 … x${SUM_OF_SQUARES_MOST_INPUTS - 1} without gaps, got ${Object.keys(inputs).join(', ') || 'none'}`,
    );
  }
  return list;
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend }) => {
    const h = hostArrays(backend as TensorMaker, backendName, SUM_OF_SQUARES_KERNEL, inputsOf(inputs), [[SUM_OF_SQUARES_PARTS]]);
    sumOfSquaresValues(h.inputs, h.outputValues[0]!);
    return h.outputs[0]!;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend }) => {
  const reads = inputsOf(inputs);
  const parts = (backend as TensorMaker).makeTensorInfo([SUM_OF_SQUARES_PARTS], 'float32');
  recordComputeDispatch(backend as TensorMaker, {
    name: `SumOfSquaresProgram_${reads.length}`, code: sumOfSquaresWgsl(reads.length), reads, writes: [parts],
    uniforms: reads.map((t) => ({ type: 'uint32' as const, data: [t.shape.reduce((a, b) => a * b, 1)] })),
    workgroups: [SUM_OF_SQUARES_PARTS, 1, 1],
  });
  return parts;
};

/** Listed for cpu (the tests' reference) and webgpu; wasm keeps tfjs's Square and Sum (native calls, its clipping unchanged). */
export function sumOfSquaresConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: SUM_OF_SQUARES_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
