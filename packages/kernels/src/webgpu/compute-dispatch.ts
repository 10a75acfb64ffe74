import { env, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import { webGpuInternals, type WebGpuBackendInternals } from './webgpu-internals.js';
import { KernelError } from '../backend/kernel-error.js';

/** Threads per workgroup of Forger's elementwise programs (tfjs's elementwise programs use 64–256). */
export const workgroupSize = 256;

export interface ComputeDispatch {
  /** Shown by tf.profile's kernel timings, like tfjs's program class names. */
  name: string;
  /** WGSL with `main` as entry; bindings: `reads` (read-only storage) from 0, then `writes` (read_write), then one uniform. */
  code: string;
  reads: TensorInfo[];
  /** Outputs, already made with `backend.makeTensorInfo`; their buffers are allocated here. */
  writes: TensorInfo[];
  uniforms: Array<{ type: 'float32' | 'int32' | 'uint32'; data: number[] }>;
  /** Threads to launch (one per element); the shader gets the flat index from `flatIndex()`. */
  threads?: number;
  /** Or the workgroup grid itself, for programs that tile their own work (one of the two). */
  workgroups?: [number, number, number];
}

/**
 * WGSL that turns a 2-D grid of workgroups into a flat element index: one dimension holds at most
 * 65,535 workgroups (16.7 M elements at 256 threads), DCGAN's dense kernel alone has 6.4 M.
 */
export const flatIndexWgsl = `
fn flatIndex(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.x + gid.y * groups.x * ${workgroupSize}u;
}`;

/**
 * Binding declarations in recordComputeDispatch's order: `reads` as read-only f32 storage from binding 0, then
 * `writes` as read_write, then the uniform `uniform.name` of the struct `uniform.type` (declared by the caller).
 * A kernel names each binding once, in the order it passes the tensors.
 */
export function storageBindingsWgsl(reads: readonly string[], writes: readonly string[], uniform: { name: string; type: string }): string {
  const storage = [...reads.map((name) => `var<storage, read> ${name}`), ...writes.map((name) => `var<storage, read_write> ${name}`)];
  return [
    ...storage.map((declaration, i) => `@group(0) @binding(${i}) ${declaration}: array<f32>;`),
    `@group(0) @binding(${storage.length}) var<uniform> ${uniform.name}: ${uniform.type};`,
  ].join('\n');
}

/** An element-wise program's entry point: one thread per element, `i` its flat index; threads at or past `size` return. */
export function elementwiseMainWgsl(size: string, body: string): string {
  return `${flatIndexWgsl}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flatIndex(gid, groups);
  if (i >= ${size}) { return; }
${body}
}`;
}

/**
 * Records one compute dispatch of a hand-written WGSL program on tfjs-backend-webgpu's command encoder,
 * exactly where tfjs would record its own next program: in the open compute pass, counted towards
 * WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE, and timed with the same timestamp queries under tf.profile.
 *
 * tfjs's `runWebGPUProgram` binds one output; a fused optimizer update writes three (variable, m, v),
 * so it is recorded here instead.
 */
export function recordComputeDispatch(backend: KernelBackend, d: ComputeDispatch): void {
  const b = webGpuInternals(backend);
  for (const t of [...d.reads, ...d.writes]) {
    if (t.dtype !== 'float32') throw new KernelError('bad-dtype', `${d.name}: tensor of shape [${t.shape.join(', ')}] is ${t.dtype}, float32 expected`);
    b.uploadToGPU(t.dataId);
  }
  const { pipeline, layout } = pipelineFor(b.device, d.name, d.code);
  const buffers = [...d.reads, ...d.writes].map((t) => bufferOf(b, t, d.name));
  const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }));
  entries.push({ binding: buffers.length, resource: b.makeUniforms(d.uniforms) });
  // Buffers the queue still uses are released only at submit (tfjs's own bookkeeping).
  for (const t of [...d.reads, ...d.writes]) b.commandQueueOwnedIds.add(t.dataId);
  const bindGroup = b.device.createBindGroup({ layout, entries });

  if ((d.threads === undefined) === (d.workgroups === undefined)) {
    throw new KernelError('bad-grid', `${d.name}: give either threads or workgroups, not ${d.threads === undefined ? 'neither' : 'both'}`);
  }
  const [x, y, z] = d.workgroups ?? flatGrid(d.threads!, b.device.limits.maxComputeWorkgroupsPerDimension);

  const timed = b.activeTimers !== null && b.activeTimers !== undefined;
  b.ensureCommandEncoderReady();
  const encoder = b.commandEncoder!;
  if (timed && b.supportTimestampQuery) {
    b.endComputePassEncoder();
    b.querySet ??= b.device.createQuerySet({ type: 'timestamp', count: b.querySetCount });
    b.computePassEncoder = encoder.beginComputePass({ timestampWrites: { querySet: b.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
  } else {
    b.computePassEncoder ??= encoder.beginComputePass({});
  }
  const pass = b.computePassEncoder;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y, z);
  b.dispatchCountInPass++;
  customDispatches++;
  if (timed || (env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= b.dispatchCountInPass) {
    b.endComputePassEncoder();
    if (timed) b.activeTimers!.push({ name: d.name, query: b.getQueryTime() });
    else b.submitQueue();
  }
}

/** A 2-D grid of `workgroupSize`-thread workgroups covering `threads` (see flatIndexWgsl). */
function flatGrid(threads: number, maxPerDimension: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / workgroupSize));
  const x = Math.min(groups, maxPerDimension);
  return [x, Math.ceil(groups / x), 1];
}

let customDispatches = 0;

/** Dispatches recorded by `recordComputeDispatch` since the process started (read by countDispatches). */
export function customDispatchCount(): number {
  return customDispatches;
}

interface CachedPipeline { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }

/**
 * Pipelines by device, program name and WGSL. Two levels rather than one `name + code` key: a joined key is a new
 * string at every call, hashed anew (a generated GEMM program is ~40 K characters), while a program's code string
 * that its maker keeps (implicit-gemm.ts) or that is a constant keeps its hash.
 */
const pipelines = new WeakMap<GPUDevice, Map<string, Map<string, CachedPipeline>>>();

function pipelineFor(device: GPUDevice, name: string, code: string): CachedPipeline {
  let byName = pipelines.get(device);
  if (byName === undefined) {
    byName = new Map();
    pipelines.set(device, byName);
  }
  let byCode = byName.get(name);
  if (byCode === undefined) {
    byCode = new Map();
    byName.set(name, byCode);
  }
  let cached = byCode.get(code);
  if (cached === undefined) {
    const pipeline = device.createComputePipeline({ label: name, layout: 'auto', compute: { module: device.createShaderModule({ label: name, code }), entryPoint: 'main' } });
    // Asked once: each getBindGroupLayout call makes a new object through the native binding.
    cached = { pipeline, layout: pipeline.getBindGroupLayout(0) };
    byCode.set(code, cached);
  }
  return cached;
}

function bufferOf(b: WebGpuBackendInternals, t: TensorInfo, name: string): GPUBuffer {
  const resource = b.tensorMap.get(t.dataId)?.resource;
  if (!(resource instanceof GPUBuffer)) {
    throw new KernelError('not-a-buffer', `${name}: tensor of shape [${t.shape.join(', ')}] lives in a ${resource === undefined || resource === null ? 'missing resource' : 'texture'}, not a GPU buffer`);
  }
  return resource;
}
