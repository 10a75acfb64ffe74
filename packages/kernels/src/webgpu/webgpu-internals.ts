import type { DataId, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../backend/kernel-error.js';

/**
 * The members of tfjs-backend-webgpu 4.22's `WebGPUBackend` that a hand-written compute dispatch needs.
 * Several are `private` in its typings: Forger pins tfjs at exactly 4.22.0, and `recordComputeDispatch`
 * mirrors `WebGPUBackend.recordAndSubmit` of that version (same command encoder, same deferred submit,
 * same timestamp queries), so a custom kernel is ordered with, batched with and profiled like tfjs's own.
 */
export interface WebGpuBackendInternals {
  device: GPUDevice;
  tensorMap: { get(dataId: DataId): { resource: unknown; dtype: string; shape: number[] } | undefined };
  uploadToGPU(dataId: DataId): void;
  makeTensorInfo(shape: number[], dtype: 'float32'): TensorInfo;
  makeUniforms(uniforms: Array<{ type: 'float32' | 'int32' | 'uint32'; data: number[] }>): GPUBufferBinding;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  getQueryTime(): Promise<number>;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<DataId>;
  dispatchCountInPass: number;
  activeTimers: Array<{ name: string; query: Promise<number> }> | null | undefined;
  supportTimestampQuery: boolean;
  querySet: GPUQuerySet | null;
  querySetCount: number;
}

/** The backend as its internals; throws when it is not tfjs-backend-webgpu (or a version whose shape differs). */
export function webGpuInternals(backend: KernelBackend): WebGpuBackendInternals {
  const b = backend as unknown as Partial<WebGpuBackendInternals>;
  if (b.device === undefined || typeof b.uploadToGPU !== 'function' || typeof b.makeUniforms !== 'function' || b.tensorMap === undefined) {
    throw new KernelError('not-webgpu', 'a WebGPU compute dispatch was asked of a backend that is not tfjs-backend-webgpu 4.22 (no device / uploadToGPU / makeUniforms)');
  }
  return b as WebGpuBackendInternals;
}
