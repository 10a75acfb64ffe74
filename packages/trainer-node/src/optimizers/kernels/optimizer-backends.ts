/** The backends the fused optimizer kernels are registered for; elsewhere the optimizers fall back to tf ops. */
export type OptimizerBackendName = 'cpu' | 'wasm' | 'webgpu';
export const optimizerBackendNames: readonly OptimizerBackendName[] = ['cpu', 'wasm', 'webgpu'];
