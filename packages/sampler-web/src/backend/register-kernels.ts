import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';

/**
 * Registers kernels that are not registered yet. Must run before the backend
 * starts: tfjs calls each kernel's setup (WASM binds its exported functions)
 * when a backend initialises. Skipping existing ones keeps a page that also
 * imports the full backend free of "already registered" warnings.
 */
export function registerMissingKernels(configs: readonly KernelConfig[]): void {
  for (const config of configs) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
}
