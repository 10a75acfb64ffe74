export { FusedAdamOptimizer } from './fused-adam-optimizer.js';
export { FusedMomentumOptimizer } from './fused-momentum-optimizer.js';
export { fusedOptimizerFactory } from './fused-optimizers.js';
export { registerOptimizerKernels, hasFusedKernels } from './kernels/register.js';
export { OptimizerKernelError, type OptimizerKernelErrorCode } from './optimizer-kernel-error.js';
