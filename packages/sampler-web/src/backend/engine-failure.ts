import * as tf from '@tensorflow/tfjs-core';
import { restartBackend } from './backend-lease.js';
import type { BackendName } from './resolve-backend.js';

/**
 * Whether an error out of a backend means its engine is dead, not just this call. A WebAssembly trap (`RuntimeError:
 * memory access out of bounds`, `unreachable`) or an Emscripten `Aborted()` leaves the tfjs-wasm module's heap and
 * allocator in an unknown state: every later call, for any model, fails the same way until the page reloads (issue
 * 18). A lost WebGPU device is dead the same way. Ordinary errors (a bad argument, a SamplerError) are not.
 */
export function isEngineFailure(error: unknown): boolean {
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return true;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return /memory access out of bounds|^Aborted\(|\babort\(|out of memory|unreachable|device (was )?lost/i.test(message);
}

/**
 * Throws away a backend whose engine failed and registers its factory again, so the next load starts a fresh instance
 * (tfjs-wasm's factory instantiates a new module with a new heap). Tensors still held on the dead instance are
 * forgotten rather than freed: its dispose calls would only trap again.
 */
export function recoverFromEngineFailure(name: BackendName): void {
  const dead = tf.engine().registry[name] as unknown as Record<string, unknown> | undefined;
  if (dead) {
    // The engine calls these while removing the backend and while disposing tensors that lived on it.
    dead['dispose'] = () => undefined;
    dead['disposeData'] = () => true;
  }
  restartBackend(name);
}
