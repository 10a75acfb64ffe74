import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { fusedAdamBetaPowersConfig } from './FusedAdamBetaPowers.js';
import { fusedAdamUpdateConfig } from './FusedAdamUpdate.js';
import { fusedMomentumUpdateConfig } from './FusedMomentumUpdate.js';
import { optimizerBackendNames, type OptimizerBackendName } from './optimizer-backends.js';

/**
 * The one list of Forger's fused optimizer kernels, each registered for cpu, wasm (one loop in JS over
 * the backend's memory) and webgpu (one WGSL dispatch). They are new kernel names, so registering them
 * replaces nothing of tfjs's. The lead may merge this list into src/kernels/register.ts.
 */
const factories: Array<(backend: OptimizerBackendName) => KernelConfig> = [fusedAdamUpdateConfig, fusedAdamBetaPowersConfig, fusedMomentumUpdateConfig];

/**
 * Registers the fused optimizer kernels on every backend that has them, once per process (a kernel
 * unregistered later stays so: the optimizers then compose tf ops). Returns the kernel names.
 */
export function registerOptimizerKernels(): string[] {
  if (!registered) {
    for (const backendName of optimizerBackendNames) {
      for (const make of factories) {
        const config = make(backendName);
        if (getKernel(config.kernelName, backendName) === undefined) registerKernel(config);
      }
    }
    registered = true;
  }
  return factories.map((make) => make('cpu').kernelName);
}

let registered = false;

/** Whether the active backend runs the fused kernels (else the optimizers compose tf ops, as tfjs-core does). */
export function hasFusedKernels(backendName: string): boolean {
  return getKernel(fusedAdamUpdateConfig('cpu').kernelName, backendName) !== undefined;
}
