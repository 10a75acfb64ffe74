import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_GRAD_KERNEL } from '@forger/models/kernels';
import { channelGrid, channelLayoutOf, channelReductionWgsl, type ChannelLayout } from '../webgpu/channel-reduction.js';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { webGpuInternals } from '../webgpu/webgpu-internals.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Training-mode batch norm's backward pass in closed form (see @forger/models' batch-norm layer): with
 * x̂ = (x − μ)·r, r = 1/√(σ² + ε) and n rows per channel,
 *   ∂β = Σ dy,   ∂γ = Σ dy·x̂,   ∂x = γ·r/n · (n·dy − ∂β − x̂·∂γ).
 * On webgpu two dispatches (the per-channel sums, then ∂x elementwise) where tfjs-core's ops take 13.
 * Outputs [dx, dGamma, dBeta].
 */
export interface BatchNormGradAttrs { epsilon: number }

export function batchNormGradValues(
  epsilon: number, channels: number,
  dy: Float32Array, x: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array,
  dx: Float32Array, dGamma: Float32Array, dBeta: Float32Array,
): void {
  const rows = x.length / channels;
  for (let c = 0; c < channels; c++) {
    const r = 1 / Math.sqrt(variance[c]! + epsilon);
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let i = c; i < x.length; i += channels) {
      sumDy += dy[i]!;
      sumDyXhat += dy[i]! * (x[i]! - mean[c]!) * r;
    }
    dBeta[c] = sumDy;
    dGamma[c] = sumDyXhat;
    const scale = (gamma[c]! * r) / rows;
    for (let i = c; i < x.length; i += channels) {
      dx[i] = scale * (rows * dy[i]! - sumDy - (x[i]! - mean[c]!) * r * sumDyXhat);
    }
  }
}

function channelSumsWgsl(layout: ChannelLayout): string {
  return `
struct Sizes { rows: u32, channels: u32, epsilon: f32 }
${storageBindingsWgsl(['dy', 'x', 'mean', 'variance'], ['dGamma', 'dBeta'], { name: 'u', type: 'Sizes' })}
${channelReductionWgsl(layout)}
@compute @workgroup_size(THREADS)
fn main(@builtin(local_invocation_id) local: vec3<u32>, @builtin(workgroup_id) workgroup: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let c = channelIndex(local, workgroup, groups);
  let valid = c < u.channels;
  let k = min(c, u.channels - 1u);
  let mu = mean[k];
  let r = 1.0 / sqrt(variance[k] + u.epsilon);
  var sumDy = 0.0;
  var sumDyXhat = 0.0;
  if (valid) {
    for (var row = rowStart(local); row < u.rows; row += ROW_STEP) {
      let i = row * u.channels + c;
      sumDy += dy[i];
      sumDyXhat += dy[i] * (x[i] - mu) * r;
    }
  }
  let beta = total(local.x, sumDy);
  let gamma = total(local.x, sumDyXhat);
  if (valid && writesResult(local)) {
    dBeta[c] = beta;
    dGamma[c] = gamma;
  }
}`;
}

const inputGradientWgsl = `
struct Sizes { size: u32, channels: u32, rows: f32, epsilon: f32 }
${storageBindingsWgsl(['dy', 'x', 'mean', 'variance', 'gamma', 'dGamma', 'dBeta'], ['dx'], { name: 'u', type: 'Sizes' })}
${elementwiseMainWgsl('u.size', `  let c = i % u.channels;
  let r = 1.0 / sqrt(variance[c] + u.epsilon);
  let xhat = (x[i] - mean[c]) * r;
  dx[i] = gamma[c] * r / u.rows * (u.rows * dy[i] - dBeta[c] - xhat * dGamma[c]);`)}`;

const inputNames = ['dy', 'x', 'mean', 'variance', 'gamma'] as const;

function inputsOf(inputs: Record<string, TensorInfo | undefined>): { list: TensorInfo[]; channels: number } {
  const list = inputNames.map((n) => {
    const t = inputs[n];
    if (t === undefined) throw new KernelError('bad-input', `${BATCH_NORM_GRAD_KERNEL}: input "${n}" is missing`);
    return t;
  });
  const [dy, x, ...perChannel] = list as [TensorInfo, TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const channels = x.shape[x.shape.length - 1]!;
  if (dy.shape.join() !== x.shape.join()) throw new KernelError('bad-input', `${BATCH_NORM_GRAD_KERNEL}: dy is [${dy.shape.join(', ')}] but x is [${x.shape.join(', ')}]`);
  for (const [i, t] of perChannel.entries()) {
    if (t.shape.reduce((a, b) => a * b, 1) !== channels) {
      throw new KernelError('bad-input', `${BATCH_NORM_GRAD_KERNEL}: "${inputNames[i + 2]}" is [${t.shape.join(', ')}] but x has ${channels} channels`);
    }
  }
  return { list, channels };
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { list, channels } = inputsOf(inputs);
    const h = hostArrays(backend as TensorMaker, backendName, BATCH_NORM_GRAD_KERNEL, list, [list[1]!.shape, [channels], [channels]]);
    const [dy, x, mean, variance, gamma] = h.inputs as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const [dx, dGamma, dBeta] = h.outputValues as [Float32Array, Float32Array, Float32Array];
    batchNormGradValues((attrs as unknown as BatchNormGradAttrs).epsilon, channels, dy, x, mean, variance, gamma, dx, dGamma, dBeta);
    return h.outputs;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { list, channels } = inputsOf(inputs);
  const [dy, x, mean, variance, gamma] = list as [TensorInfo, TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const { epsilon } = attrs as unknown as BatchNormGradAttrs;
  const maker = backend as TensorMaker;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const rows = size / channels;
  const [dGamma, dBeta] = [0, 1].map(() => maker.makeTensorInfo([channels], 'float32')) as [TensorInfo, TensorInfo];
  const layout = channelLayoutOf(rows, channels);
  recordComputeDispatch(maker, {
    name: `BatchNormChannelSumsProgram_${layout}`, code: channelSumsWgsl(layout), reads: [dy, x, mean, variance], writes: [dGamma, dBeta],
    uniforms: [{ type: 'uint32', data: [rows] }, { type: 'uint32', data: [channels] }, { type: 'float32', data: [epsilon] }],
    workgroups: channelGrid(layout, channels, webGpuInternals(maker).device.limits.maxComputeWorkgroupsPerDimension),
  });
  const dx = maker.makeTensorInfo(x.shape, 'float32');
  recordComputeDispatch(maker, {
    name: 'BatchNormInputGradientProgram', code: inputGradientWgsl, reads: [dy, x, mean, variance, gamma, dGamma, dBeta], writes: [dx],
    uniforms: [{ type: 'uint32', data: [size] }, { type: 'uint32', data: [channels] }, { type: 'float32', data: [rows] }, { type: 'float32', data: [epsilon] }],
    threads: size,
  });
  return [dx, dGamma, dBeta];
};

export function batchNormGradConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: BATCH_NORM_GRAD_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
