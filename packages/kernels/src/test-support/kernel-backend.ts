import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackendName } from '../backend/backend-names.js';
import { installNodeWebGpu } from '../node/node-webgpu.js';
import { registerGradients } from '../node/register-gradients.js';
import { registerForgerKernels } from '../register.js';

/**
 * Starts `name` for a test as trainer-node's prepareBackend would (tfjs's gradients, the backend, Forger's kernels
 * from the one table), without depending on trainer-node: tests of this package need a backend, the CLI's
 * choice of one is trainer-node's. webgpu runs on SwiftShader where there is no GPU (see probeWebGpu).
 */
export async function startKernelBackend(name: KernelBackendName): Promise<void> {
  await registerGradients();
  if (name === 'webgpu') {
    await installNodeWebGpu({ useSwiftShader: true });
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  registerForgerKernels(name);
}
