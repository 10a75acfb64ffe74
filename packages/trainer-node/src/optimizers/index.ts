export { FusedAdamOptimizer } from './FusedAdamOptimizer.js';
export { FusedMomentumOptimizer } from './FusedMomentumOptimizer.js';
export { fusedOptimizerFactory } from './fusedOptimizers.js';
export { registerOptimizerKernels, hasFusedKernels } from './kernels/register.js';
export { OptimizerKernelError, type OptimizerKernelErrorCode } from './optimizerKernelError.js';
