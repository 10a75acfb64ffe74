import * as tf from '@tensorflow/tfjs-core';
import type { WasmBinaryName } from '../wasm-paths.js';
import { registerMissingKernels } from './register-kernels.js';

/**
 * Starts tfjs on WebAssembly. tfjs picks the SIMD binary when the browser has
 * WASM SIMD, and the threaded one only when SharedArrayBuffer exists, i.e. the
 * page is cross-origin isolated (COOP + COEP headers); we report which it got.
 */
export async function startWasm(paths: Record<WasmBinaryName, string>): Promise<string> {
  // The base registers the backend alone; we add the kernels we use (before it starts: see register-kernels.ts).
  const wasm = await import('@tensorflow/tfjs-backend-wasm/dist/base.js');
  registerMissingKernels((await import('./wasm-kernels.js')).wasmKernels);
  // The paths can only be set before the binary is instantiated; a sampler that
  // finds the backend already running (another sampler, or the page) reuses it.
  if (tf.engine().registry.wasm == null) {
    try {
      wasm.setWasmPaths(paths);
    } catch (error) {
      throw new Error(`an earlier attempt to load the WASM binary failed; reload the page (${(error as Error).message})`);
    }
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new Error(`could not load the WASM binary from ${paths['tfjs-backend-wasm-simd.wasm']} (set the wasmPaths option to the folder that holds the .wasm files)`);
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  // tfjs uses half the cores (at most 4) when threads are available, leaving the rest to the page.
  const count = threads ? wasm.getThreadsCount() : 1;
  return `${simd ? 'SIMD' : 'no SIMD'}, ${threads ? `threaded build, ${count} thread${count === 1 ? '' : 's'}` : 'single thread (page not cross-origin isolated)'}`;
}
