export { countDispatches, topKernelsByTime, type DispatchCount } from './dispatch-count.js';
export { recordComputeDispatch, customDispatchCount, flatIndexWgsl, workgroupSize, type ComputeDispatch } from './compute-dispatch.js';
export { webGpuInternals, GpuDispatchError, type GpuDispatchErrorCode, type WebGpuBackendInternals } from './webgpu-internals.js';
