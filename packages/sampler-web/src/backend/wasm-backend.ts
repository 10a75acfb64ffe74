import * as tf from '@tensorflow/tfjs-core';
import { pthreadWorkerScript, registerThreadedWasm, restoreWasmStart, THREADED_WASM_MAX_THREADS, wasmThreadsAvailable, type RegisteredWasmStart } from '@forger/kernels';
import type { WasmBinaryName } from '../wasm-paths.js';
import { registerMissingKernels } from './register-kernels.js';

/** Threads the sampler computes with on a cross-origin-isolated page when the page does not say: every core, at most 8. */
export function defaultWasmThreads(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(cores, THREADED_WASM_MAX_THREADS));
}

/**
 * Starts tfjs on WebAssembly. tfjs picks the SIMD binary when the browser has WASM SIMD. On a cross-origin-isolated
 * page (COOP + COEP headers, so SharedArrayBuffer exists) the sampler starts tfjs's threaded-SIMD build itself
 * (@forger/kernels' registerThreadedWasm) with `threads` threads: tfjs's own start would use half the cores
 * (it assumes hyperthreads), one on a 2-core machine, where the threaded build then ran slower than the plain SIMD one
 * (README: Speed). `threads: 1`, or a page that is not isolated, keeps tfjs's own start. Reports what it got.
 */
export async function startWasm(paths: Record<WasmBinaryName, string>, threads = defaultWasmThreads()): Promise<string> {
  // The base registers the backend alone; we add the kernels we use (before it starts: see register-kernels.ts).
  const wasm = await import('@tensorflow/tfjs-backend-wasm/dist/base.js');
  registerMissingKernels((await import('./wasm-kernels.js')).wasmKernels);
  // The paths can only be set before the binary is instantiated; a sampler that
  // finds the backend already running (another sampler, or the page) reuses it.
  let tfjsStart: RegisteredWasmStart | undefined;
  if (tf.engine().registry.wasm == null) {
    try {
      wasm.setWasmPaths(paths);
    } catch (error) {
      throw new Error(`an earlier attempt to load the WASM binary failed; reload the page (${(error as Error).message})`);
    }
    if (threads > 1 && wasmThreadsAvailable()) tfjsStart = await useThreadedBuild(paths, threads, wasm.BackendWasm);
  }
  let started = await tf.setBackend('wasm');
  let fallback = '';
  if (!started && tfjsStart !== undefined) {
    // The threaded start failed (a worker or the binary did not load): tfjs's own start, as on a page without isolation.
    restoreWasmStart(tfjsStart);
    fallback = `; ${threads} threads did not start`;
    started = await tf.setBackend('wasm');
  }
  if (!started) {
    throw new Error(`could not load the WASM binary from ${paths['tfjs-backend-wasm-simd.wasm']} (set the wasmPaths option to the folder that holds the .wasm files)`);
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const count = wasm.getThreadsCount();
  const ours = tfjsStart !== undefined && !fallback;
  const build = ours ? 'threaded build' : wasmThreadsAvailable() ? 'tfjs\'s threaded build' : 'single-thread build (page not cross-origin isolated)';
  return `${simd ? 'SIMD' : 'no SIMD'}, ${build}, ${count} thread${count === 1 ? '' : 's'}${fallback}`;
}

/** Registers the threaded-SIMD start from the package's own factory and worker script (blob: URLs, as tfjs makes). */
async function useThreadedBuild(
  paths: Record<WasmBinaryName, string>, threads: number, BackendWasm: Parameters<typeof registerThreadedWasm>[0]['BackendWasm'],
): Promise<RegisteredWasmStart> {
  const [factoryModule, workerModule] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
    // @ts-expect-error: the package ships no declaration for its worker module (a string, `wasmWorkerContents`)
    import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as Promise<unknown>,
  ]);
  // A CommonJS module: its export is `default` through a bundler, the module itself otherwise (as tfjs reads it).
  const factory = ((factoryModule as { default?: unknown }).default ?? factoryModule) as Parameters<typeof registerThreadedWasm>[0]['factory'];
  const { wasmWorkerContents } = ((workerModule as { default?: unknown }).default ?? workerModule) as { wasmWorkerContents: string };
  const workerScript = URL.createObjectURL(new Blob([pthreadWorkerScript(wasmWorkerContents)], { type: 'application/javascript' }));
  // Each worker evaluates this to define the factory, as tfjs's own threaded start does (backend_wasm.ts).
  const mainScript = new Blob([`var WasmBackendModuleThreadedSimd = ${factory.toString()}`], { type: 'text/javascript' });
  return registerThreadedWasm({
    factory, BackendWasm, threads, workerScript, mainScript,
    binary: async () => {
      const response = await fetch(paths['tfjs-backend-wasm-threaded-simd.wasm'], { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`failed to load ${paths['tfjs-backend-wasm-threaded-simd.wasm']}: HTTP ${response.status}`);
      return response.arrayBuffer();
    },
  });
}
