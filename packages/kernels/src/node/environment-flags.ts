import { env } from '@tensorflow/tfjs-core';
import { UPSAMPLE_CONV_FLAG } from '@forger/models';
import { KernelError } from '../backend/kernel-error.js';
import { CONV_ROUTE_FLAG, FILTER_GRADIENT_FLAG } from '../training/webgpu-conv-routes.js';
import { GEMM_TILING_FLAG } from '../webgpu/gemm-tiling-flag.js';

/**
 * The tfjs flags that Node also takes from environment variables of the same names: the kernels' routes, and the
 * networks' sub-pixel fold (FORGER_UPSAMPLE_CONV=direct runs a DCGAN generator's upsample + conv as written).
 */
export const KERNEL_ENVIRONMENT_FLAGS = [CONV_ROUTE_FLAG, FILTER_GRADIENT_FLAG, GEMM_TILING_FLAG, UPSAMPLE_CONV_FLAG] as const;

/**
 * Sets each of the kernels' flags whose environment variable is set (`FORGER_WEBGPU_CONV=tfjs`, …). Node only: the
 * main entry registers the flags with their defaults, since a browser has no process.env. A value the flag refuses
 * throws a KernelError naming the variable and the values it takes.
 */
export function applyKernelFlagsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): void {
  for (const flag of KERNEL_ENVIRONMENT_FLAGS) {
    const value = environment[flag];
    if (value === undefined) continue;
    const previous = env().get(flag);
    try {
      env().set(flag, value);
    } catch (error) {
      // tfjs stores the value before its check throws: put the previous one back.
      env().set(flag, previous);
      throw new KernelError('bad-input', `environment variable ${error instanceof Error ? error.message : String(error)}`, { where: flag });
    }
  }
}
