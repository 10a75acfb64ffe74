import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { installNodeWebGpu, describeAdapter } from '../node/node-webgpu.js';
import { rememberOwnKernel } from '../backend/backend-kernels.js';

/**
 * Gradient-check support for Forger's training kernels: run one kernel on the cpu backend (tfjs's
 * reference implementation) and on a target backend with the same inputs, and measure the largest
 * absolute difference. Inputs are seeded uniform(−1, 1) values, so a failure reproduces.
 */
export interface KernelCase {
  kernelName: string;
  inputs: Record<string, { shape: number[]; values: Float32Array }>;
  attrs: Record<string, unknown>;
}

export interface KernelComparison {
  maxAbsError: number;
  /** Largest |reference value|: the error bound is relative to it. */
  referenceScale: number;
  shape: number[];
}

export async function compareWithCpu(backendName: string, c: KernelCase): Promise<KernelComparison> {
  const reference = await cpuReference(c);
  const actual = await runOn(backendName, c);
  if (actual.shape.join() !== reference.shape.join()) {
    throw new Error(`${c.kernelName} on ${backendName} returned shape [${actual.shape}], cpu [${reference.shape}]`);
  }
  let maxAbsError = 0;
  let referenceScale = 0;
  for (let i = 0; i < reference.values.length; i++) {
    maxAbsError = Math.max(maxAbsError, Math.abs(actual.values[i]! - reference.values[i]!));
    referenceScale = Math.max(referenceScale, Math.abs(reference.values[i]!));
  }
  return { maxAbsError, referenceScale, shape: reference.shape };
}

/** The cpu backend is slow on DCGAN shapes: each case is computed once per test file, whatever the backends. */
const references = new Map<KernelCase, Promise<{ shape: number[]; values: Float32Array }>>();

function cpuReference(c: KernelCase): Promise<{ shape: number[]; values: Float32Array }> {
  let r = references.get(c);
  if (r === undefined) {
    r = runOn('cpu', c);
    references.set(c, r);
  }
  return r;
}

async function runOn(backendName: string, c: KernelCase): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backendName);
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, { shape, values }] of Object.entries(c.inputs)) inputs[name] = tf.tensor(values, shape, 'float32');
  const out = tf.engine().runKernel(c.kernelName, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor;
  // webgpu in Node cannot read synchronously (tfjs uses an OffscreenCanvas for that).
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  for (const t of Object.values(inputs)) t.dispose();
  return { shape, values };
}

/** Seeded uniform(−1, 1) values (mulberry32), independent of tfjs's own random state. */
export function uniformValues(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  }
  return { shape, values };
}

/** The output shape of a forward conv (NHWC), to size dy. */
export function convOutputShape(xShape: number[], filterShape: number[], stride: number, pad: 'same' | 'valid'): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number], stride, 1, pad);
  return info.outShape;
}

/**
 * Whether a WebGPU device exists for the tests, with SwiftShader allowed. Returns the adapter name, or
 * the reason there is none (printed by the skipped tests).
 */
export async function probeWebGpu(): Promise<{ adapter?: string; reason?: string }> {
  try {
    const gpu = await installNodeWebGpu({ useSwiftShader: true });
    if (gpu === undefined) return { reason: 'the webgpu package is not installed' };
    const adapter = await gpu.requestAdapter();
    if (adapter === null) {
      return { reason: 'Dawn found no adapter; for SwiftShader, libvulkan.so.1 must be on LD_LIBRARY_PATH at start (LD_LIBRARY_PATH=/usr/lib/chromium)' };
    }
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return { reason: 'tfjs-backend-webgpu did not initialise' };
    return { adapter: describeAdapter(adapter).name };
  } catch (error) {
    return { reason: `WebGPU failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Bound of every check: max |error| ≤ 1e-5 × max |cpu value| (float32 sums of up to 10⁵ products carry ~1e-6). */
export const relativeBound = 1e-5;

export interface ConvShape {
  label: string; x: number[]; filter: number[]; stride: number; pad: 'same' | 'valid';
  /** SwiftShader takes seconds per large conv: the largest shapes run on wasm only. */
  onSoftwareGpu: boolean;
}

/** Stride 1 and 2, same and valid, odd sizes, and keras-dcgan's four convolutions (batch 1–2: the cpu reference is slow). */
export const convShapes: ConvShape[] = [
  ...[1, 2].flatMap((stride) => (['same', 'valid'] as const).flatMap((pad) => [
    { label: `3×3 on 9×7, stride ${stride}, ${pad}`, x: [2, 9, 7, 3], filter: [3, 3, 3, 4], stride, pad, onSoftwareGpu: true },
    { label: `5×5 on 8×8, stride ${stride}, ${pad}`, x: [3, 8, 8, 5], filter: [5, 5, 5, 6], stride, pad, onSoftwareGpu: true },
  ])),
  { label: 'DCGAN D conv 1 (28×28×1 → 64, same)', x: [2, 28, 28, 1], filter: [5, 5, 1, 64], stride: 1, pad: 'same', onSoftwareGpu: true },
  { label: 'DCGAN D conv 2 (14×14×64 → 128, valid)', x: [1, 14, 14, 64], filter: [5, 5, 64, 128], stride: 1, pad: 'valid', onSoftwareGpu: true },
  // The cpu backend's own filter gradient takes ~5 s on this one; Conv2DBackpropFilter.test.ts uses 7×7.
  { label: 'DCGAN G conv 1 (14×14×128 → 64, same)', x: [1, 14, 14, 128], filter: [5, 5, 128, 64], stride: 1, pad: 'same', onSoftwareGpu: false },
  { label: 'DCGAN G conv 2 (28×28×64 → 1, same)', x: [2, 28, 28, 64], filter: [5, 5, 64, 1], stride: 1, pad: 'same', onSoftwareGpu: true },
];

export interface CheckedBackend {
  backend: 'wasm' | 'webgpu';
  /** Why this backend's checks are skipped on this machine; undefined when they run. */
  skip: string | undefined;
  /** wasm; or the WebGPU adapter, e.g. "SwiftShader driver 5.0.0". */
  device: string;
}

/** The backends Forger's kernels are checked on here: wasm always, webgpu when Dawn finds an adapter. */
export async function checkedBackends(): Promise<CheckedBackend[]> {
  const webgpu = await probeWebGpu();
  return [
    { backend: 'wasm', skip: undefined, device: 'wasm' },
    { backend: 'webgpu', skip: webgpu.reason, device: webgpu.adapter ?? 'no adapter' },
  ];
}

/** Runs `body` with `config` registered in place of whatever kernel the registry holds, then restores it. */
export async function withKernel<T>(config: KernelConfig, body: () => Promise<T>): Promise<T> {
  const previous = getKernel(config.kernelName, config.backendName);
  if (previous === config) return body();
  if (previous !== undefined) {
    rememberOwnKernel(previous);   // a composite may fall back to it
    unregisterKernel(config.kernelName, config.backendName);
  }
  registerKernel(config);
  try {
    return await body();
  } finally {
    unregisterKernel(config.kernelName, config.backendName);
    if (previous !== undefined) registerKernel(previous);
  }
}

/** The first index where two float32 arrays' bits differ, or -1 (a toEqual over 200,000 values takes seconds). */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
