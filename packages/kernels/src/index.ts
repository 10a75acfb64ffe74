// @forger/kernels: Forger's TensorFlow.js kernels for training (convolutions and products on Forger's WGSL
// matrix-product engine, fused losses, batch norm, activation gradients, noise) and its fused optimizers, registered
// from one table by `registerForgerKernels(backend)`. Browser-safe: nothing here reads process.env or loads Dawn
// (that is '@forger/kernels/node').
export { registerForgerKernels, unregisterForgerKernels, forgerKernels } from './register.js';
export { NODE_BACKENDS, type NodeBackendName, type KernelBackendName } from './backend/backend-names.js';
export { KernelError, type KernelErrorCode } from './backend/kernel-error.js';
export { FusedAdamOptimizer } from './optimizers/fused-adam-optimizer.js';
export { FusedMomentumOptimizer } from './optimizers/fused-momentum-optimizer.js';
export { fusedOptimizerFactory } from './optimizers/fused-optimizers.js';
export { CONV_ROUTE_FLAG, FILTER_GRADIENT_FLAG, convRoute, filterGradientRoute, type ConvRoute, type FilterGradientRoute } from './training/webgpu-conv-routes.js';
export { GEMM_TILING_FLAG, parseGemmTiling, formatGemmTiling } from './webgpu/gemm-tiling-flag.js';
export type { GemmTiling } from './webgpu/gemm-tiling.js';
export {
  checkThreadedWasm, createThreadedWasmBackend, pthreadWorkerScript, registerThreadedWasm, wasmThreadsAvailable, restoreWasmStart, wasmStart, THREADED_WASM_MAX_THREADS,
  type RegisteredWasmStart, type ThreadedWasmSources,
} from './backend/threaded-wasm.js';
