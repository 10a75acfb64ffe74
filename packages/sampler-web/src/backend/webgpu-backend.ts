import * as tf from '@tensorflow/tfjs-core';
import { registerMissingKernels } from './register-kernels.js';
import { isSoftwareAdapter, type GpuAdapterInfo } from './software-adapter.js';

/** The slice of the WebGPU API this file touches; TypeScript's DOM lib does not declare navigator.gpu yet. */
interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo; isFallbackAdapter?: boolean } | null> };
}

/**
 * Starts tfjs on WebGPU and returns a line naming the adapter. We ask for an
 * adapter ourselves first: tfjs's factory dereferences a null adapter and only
 * logs a TypeError, while "no adapter" is the reason a user needs to read
 * (WebGPU disabled, a blocklisted GPU, or Chromium on Linux started without
 * --enable-unsafe-webgpu).
 */
export async function startWebGpu(opts: { allowSoftware: boolean }): Promise<string> {
  const nav = (typeof navigator === 'undefined' ? {} : navigator) as GpuNavigator;
  if (!nav.gpu) throw new Error('this browser has no navigator.gpu (WebGPU is unsupported or disabled)');
  const adapter = await nav.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  if (!opts.allowSoftware && isSoftwareAdapter(info, adapter.isFallbackAdapter)) {
    throw new Error(`the only adapter is a CPU emulation (${name}), slower than WASM; pass backend: 'webgpu' to use it anyway`);
  }
  // Loaded on demand so that a bundler can split it out of WASM-only pages. The
  // backend's base registers the backend alone; we add the kernels we use.
  await import('@tensorflow/tfjs-backend-webgpu/dist/base.js');
  registerMissingKernels((await import('./webgpu-kernels.js')).webgpuKernels);
  // Then Forger's WebGPU kernels, from the one table trainer-node trains with (@forger/kernels): its WGSL
  // convolutions and products, and the one-kernel convolution/product + bias + tanh or sigmoid the layers then
  // call. After tfjs's own, which Forger's keep and fall back to (e.g. `?tfjsflags=FORGER_WEBGPU_CONV:tfjs`).
  (await import('@forger/kernels')).registerForgerKernels('webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not create a WebGPU device (see the console warning)');
  return name;
}
