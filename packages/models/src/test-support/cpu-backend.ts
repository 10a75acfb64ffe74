import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// Training needs tfjs-core's gradients, which its entry does not register
// (vitest resolves this bundler-style file; plain Node needs trainer-node's
// registerGradients()).
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/** Tests run on tfjs-core's reference cpu backend: deterministic and everywhere. */
export async function useCpuBackend(): Promise<void> {
  tf.env().set('IS_TEST', true); // no "install tfjs-node" banner in test output
  await tf.setBackend('cpu');
  await tf.ready();
}
