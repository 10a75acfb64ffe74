import { getKernel } from '@tensorflow/tfjs-core';
import { fusedAdamUpdateName } from './FusedAdamUpdate.js';

/**
 * Whether `backendName` runs the fused optimizer kernels, i.e. `registerForgerKernels` registered them there; else
 * the fused optimizers compose tf ops, as tfjs-core does (tfjs-node, or a backend Forger's table left alone).
 */
export function hasFusedKernels(backendName: string): boolean {
  return getKernel(fusedAdamUpdateName, backendName) !== undefined;
}
