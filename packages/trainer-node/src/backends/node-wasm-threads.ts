import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { checkThreadedWasm, pthreadWorkerScript, registerThreadedWasm, THREADED_WASM_MAX_THREADS, type ThreadedWasmSources } from '@forger/kernels';

/**
 * The files Node's worker_threads need to run tfjs-backend-wasm's threaded-SIMD build, all from the installed
 * package (never a download): the emscripten factory as the main script each worker evaluates, the binary, and the
 * pthread worker script. The package ships the worker only as a string (wasm-out/…worker.js exports
 * `wasmWorkerContents`, which tfjs turns into a blob: URL), so it is written once to a file in the system's temp
 * folder, named after its content's hash.
 */
export function nodeThreadedWasmFiles(): { factoryPath: string; workerPath: string; binaryPath: string } {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));    // …/tfjs-backend-wasm/dist
  const wasmOut = join(dirname(dist), 'wasm-out');
  const factoryPath = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const binaryPath = join(dist, 'tfjs-backend-wasm-threaded-simd.wasm');
  for (const file of [factoryPath, binaryPath]) {
    if (!existsSync(file)) throw new Error(`@tensorflow/tfjs-backend-wasm carries no ${file}: reinstall it (pnpm install)`);
  }
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const script = pthreadWorkerScript(wasmWorkerContents);
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const folder = join(os.tmpdir(), 'forger-tfjs-wasm');
  const workerPath = join(folder, `tfjs-backend-wasm-threaded-simd.worker.${hash}.cjs`);
  if (!existsSync(workerPath) || readFileSync(workerPath, 'utf8') !== script) {
    mkdirSync(folder, { recursive: true });
    // Written beside, then renamed: two processes starting at once never see half a script.
    const partial = `${workerPath}.${process.pid}.partial`;
    writeFileSync(partial, script);
    renameSync(partial, workerPath);
  }
  return { factoryPath, workerPath, binaryPath };
}

/** The threads `--backend wasm` uses by default: one per core this process may run on, at most the build's pool. */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(os.availableParallelism(), THREADED_WASM_MAX_THREADS));
}

/**
 * Makes the next `tf.setBackend('wasm')` start the threaded build with `threads` threads (see
 * @forger/kernels' threaded-wasm.ts). `BackendWasm` comes from the tfjs-backend-wasm the caller imported.
 */
export function useNodeThreadedWasm(threads: number, BackendWasm: ThreadedWasmSources['BackendWasm']): void {
  checkThreadedWasm(threads);
  const require = createRequire(import.meta.url);
  const { factoryPath, workerPath, binaryPath } = nodeThreadedWasmFiles();
  const factory = require(factoryPath) as ThreadedWasmSources['factory'];
  registerThreadedWasm({
    factory, BackendWasm, threads,
    workerScript: workerPath,
    mainScript: factoryPath,
    binary: async () => readFileSync(binaryPath),
  });
}

