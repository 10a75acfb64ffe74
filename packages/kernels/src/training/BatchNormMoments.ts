import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { MOMENTS_KERNEL } from '@forger/models/kernels';
import { channelGrid, channelLayoutOf, channelReductionWgsl, type ChannelLayout } from '../webgpu/channel-reduction.js';
import { recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { webGpuInternals } from '../webgpu/webgpu-internals.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Batch norm's mean and (biased) variance over every axis but the last, in one kernel: tfjs's tf.moments
 * takes four (Mean, Sub, Square, Mean). Two passes over each channel, as tf.moments, so a large mean does
 * not swallow a small variance. Output shapes [channels].
 */
export function momentsValues(x: Float32Array, channels: number, mean: Float32Array, variance: Float32Array): void {
  const rows = x.length / channels;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r * channels + c]!;
    const mu = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (x[r * channels + c]! - mu) ** 2;
    mean[c] = mu;
    variance[c] = squares / rows;
  }
}

function momentsWgsl(layout: ChannelLayout): string {
  return `
struct Sizes { rows: u32, channels: u32 }
${storageBindingsWgsl(['x'], ['mean', 'variance'], { name: 'u', type: 'Sizes' })}
${channelReductionWgsl(layout)}
@compute @workgroup_size(THREADS)
fn main(@builtin(local_invocation_id) local: vec3<u32>, @builtin(workgroup_id) workgroup: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let c = channelIndex(local, workgroup, groups);
  let valid = c < u.channels;
  var sum = 0.0;
  if (valid) {
    for (var r = rowStart(local); r < u.rows; r += ROW_STEP) { sum += x[r * u.channels + c]; }
  }
  let mu = total(local.x, sum) / f32(u.rows);
  var squares = 0.0;
  if (valid) {
    for (var r = rowStart(local); r < u.rows; r += ROW_STEP) { let d = x[r * u.channels + c] - mu; squares += d * d; }
  }
  let v = total(local.x, squares) / f32(u.rows);
  if (valid && writesResult(local)) {
    mean[c] = mu;
    variance[c] = v;
  }
}`;
}

function inputOf(inputs: Record<string, TensorInfo | undefined>): { x: TensorInfo; channels: number } {
  const x = inputs['x'];
  if (x === undefined) throw new KernelError('bad-input', `${MOMENTS_KERNEL}: input "x" is missing`);
  if (x.shape.length < 2) throw new KernelError('bad-input', `${MOMENTS_KERNEL}: x must have a batch axis and a channel axis, got [${x.shape.join(', ')}]`);
  return { x, channels: x.shape[x.shape.length - 1]! };
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend }) => {
    const { x, channels } = inputOf(inputs);
    const h = hostArrays(backend as TensorMaker, backendName, MOMENTS_KERNEL, [x], [[channels], [channels]]);
    momentsValues(h.inputs[0]!, channels, h.outputValues[0]!, h.outputValues[1]!);
    return h.outputs;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend }) => {
  const { x, channels } = inputOf(inputs);
  const rows = x.shape.reduce((a, b) => a * b, 1) / channels;
  const writes = [0, 1].map(() => (backend as TensorMaker).makeTensorInfo([channels], 'float32'));
  const layout = channelLayoutOf(rows, channels);
  recordComputeDispatch(backend as TensorMaker, {
    name: `MomentsProgram_${layout}`, code: momentsWgsl(layout), reads: [x], writes,
    uniforms: [{ type: 'uint32', data: [rows] }, { type: 'uint32', data: [channels] }],
    workgroups: channelGrid(layout, channels, webGpuInternals(backend as TensorMaker).device.limits.maxComputeWorkgroupsPerDimension),
  });
  return writes;
};

export function batchNormMomentsConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: MOMENTS_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
