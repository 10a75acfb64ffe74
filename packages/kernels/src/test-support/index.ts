// '@forger/kernels/test-support' (source only, never built or shipped): the checks the kernels' tests use, shared
// with trainer-node's tests and benchmarks.
export * from './kernel-check.js';
export { startKernelBackend } from './kernel-backend.js';
export { kerasDcganReference, type KerasDcganReference } from './keras-dcgan-reference.js';
export * from './fused-optimizer-check.js';
export { countDispatches, topKernelsByTime, type DispatchCount } from './dispatch-count.js';
