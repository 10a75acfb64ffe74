import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { CHANNEL_SUM_KERNEL } from '@forger/models/kernels';
import { channelGrid, channelLayoutOf, channelReductionWgsl, type ChannelLayout } from '../webgpu/channel-reduction.js';
import { recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { recordGemm } from '../webgpu/implicit-gemm.js';
import { webGpuInternals } from '../webgpu/webgpu-internals.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * A bias's gradient: Σ over every axis but the last, reading x once (tfjs's Sum over the leading axes transposes x
 * first: a second dispatch and a copy of the whole activation gradient). Output [channels]. On webgpu one dispatch
 * for few rows, two (slices, then their sum) for many.
 */
export function channelSumValues(x: Float32Array, channels: number, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) out[c]! += x[i + c]!;
  }
}

function channelSumWgsl(layout: ChannelLayout): string {
  return `
struct Sizes { rows: u32, channels: u32 }
${storageBindingsWgsl(['x'], ['sums'], { name: 'u', type: 'Sizes' })}
${channelReductionWgsl(layout)}
@compute @workgroup_size(THREADS)
fn main(@builtin(local_invocation_id) local: vec3<u32>, @builtin(workgroup_id) workgroup: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let c = channelIndex(local, workgroup, groups);
  let valid = c < u.channels;
  var sum = 0.0;
  if (valid) {
    for (var r = rowStart(local); r < u.rows; r += ROW_STEP) { sum += x[r * u.channels + c]; }
  }
  let s = total(local.x, sum);
  if (valid && writesResult(local)) { sums[c] = s; }
}`;
}

function inputOf(inputs: Record<string, TensorInfo | undefined>): { x: TensorInfo; channels: number; rows: number } {
  const x = inputs['x'];
  if (x === undefined) throw new KernelError('bad-input', `${CHANNEL_SUM_KERNEL}: input "x" is missing`);
  if (x.shape.length < 2) throw new KernelError('bad-input', `${CHANNEL_SUM_KERNEL}: x must have rows and a channel axis, got [${x.shape.join(', ')}]`);
  const channels = x.shape[x.shape.length - 1]!;
  return { x, channels, rows: x.shape.slice(0, -1).reduce((a, b) => a * b, 1) };
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend }) => {
    const { x, channels } = inputOf(inputs);
    const h = hostArrays(backend as TensorMaker, backendName, CHANNEL_SUM_KERNEL, [x], [[channels]]);
    channelSumValues(h.inputs[0]!, channels, h.outputValues[0]!);
    return h.outputs[0]!;
  };
}

/**
 * Many rows (a convolution's bias gradient, [batch·h·w, channels]): a product ones[1, rows] · x[rows, channels] on the
 * matrix-product engine, split along the rows into slices summed by a second dispatch. One workgroup per channel
 * (channel-reduction.ts) left most of a large GPU idle and read x with a stride of `channels` floats: keras-dcgan's
 * eight bias gradients took 1.6 ms of an 18.9 ms batch-256 iteration on an H200.
 */
function recordRowSplitSum(backend: KernelBackend, x: TensorInfo, sums: TensorInfo, rows: number, channels: number): void {
  recordGemm(backend, {
    name: 'ChannelSumProgram_split',
    m: 1, n: channels, k: rows,
    a: { outer: '  return vec4<i32>(0, 0, 0, 0);', load: '  return 1.0;', contiguous: 'k' },
    b: { outer: '  return vec4<i32>(o, 0, 0, 0);', load: '  return x[k * g.n + o.x];', contiguous: 'outer' },
    reads: [['x', x]], geometry: [], out: sums, splitK: true,
  });
}

const webGpuKernel: KernelFunc = ({ inputs, backend }) => {
  const { x, channels, rows } = inputOf(inputs);
  const sums = (backend as TensorMaker).makeTensorInfo([channels], 'float32');
  const layout = channelLayoutOf(rows, channels);
  if (layout === 'workgroup') {
    recordRowSplitSum(backend as KernelBackend, x, sums, rows, channels);
    return sums;
  }
  recordComputeDispatch(backend as TensorMaker, {
    name: `ChannelSumProgram_${layout}`, code: channelSumWgsl(layout), reads: [x], writes: [sums],
    uniforms: [{ type: 'uint32', data: [rows] }, { type: 'uint32', data: [channels] }],
    workgroups: channelGrid(layout, channels, webGpuInternals(backend as TensorMaker).device.limits.maxComputeWorkgroupsPerDimension),
  });
  return sums;
};

/** Listed for cpu and webgpu (register.ts); wasm's own Sum is one native call already. */
export function channelSumConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: CHANNEL_SUM_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
