import * as tf from '@tensorflow/tfjs-core';
import { isBackendRunning } from './backend/backend-lease.js';
import { BROWSER_BACKENDS, type BackendName } from './backend/resolve-backend.js';

export interface EngineMemory {
  numTensors: number;
  numBytes: number;
  /** Backends with a live instance (a WASM heap or a GPU device). */
  runningBackends: BackendName[];
}

/** What tfjs holds right now: a page (or a test) can check that dispose() gave everything back. */
export function engineMemory(): EngineMemory {
  // tf.memory() would start a backend when none is running (after the last dispose); the engine's counters do not.
  const { numTensors, numBytes } = tf.engine().state;
  const runningBackends = BROWSER_BACKENDS.filter(isBackendRunning);
  return { numTensors, numBytes, runningBackends };
}
