// '@forger/kernels/bench' (source only, never built or shipped): what trainer-node's `pnpm bench:gpu` bundle
// (bench-gpu/) measures: whole GAN iterations, the cost of one dispatch, and the WGSL matrix-product engine's
// tilings, whose program writers it calls directly.
export { benchFamilies, measureIteration, GanIteration, type BenchFamily, type IterationMeasurement, type OptimizerPath } from './gan-iteration.js';
export { measureDispatchOverhead, type DispatchOverhead } from './dispatch-overhead.js';
export { checkGemmTiling, gemmTargetOf, gemmTiling } from '../webgpu/implicit-gemm.js';
export { webGpuInternals } from '../webgpu/webgpu-internals.js';
export { convolutionWgsl, filterGradientGemm, inputGradientWgsl } from '../training/convolution-gemm.js';
export { matrixProductWgsl } from '../training/matrix-product-gemm.js';
