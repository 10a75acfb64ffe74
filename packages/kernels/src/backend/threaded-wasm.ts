import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { KernelError } from './kernel-error.js';

/**
 * tfjs-backend-wasm's threaded-SIMD build (emscripten pthreads + XNNPACK's pthreadpool) started by Forger rather than
 * by tfjs's own `init()`, for the two places where tfjs's start cannot give a chosen number of threads:
 *
 * - Node: tfjs turns threads off (`WASM_HAS_MULTITHREAD_SUPPORT` is false under IS_NODE, tensorflow/tfjs#3830), and
 *   forcing the flag fails, because tfjs hands emscripten its pthread worker as a `blob:` URL and the main script as
 *   a Blob, which Node's worker_threads cannot load. Here both are given as files.
 * - Everywhere: tfjs 4.22's `init_with_threads_count` caps the pool at `emscripten_num_logical_cores() / 2` (it
 *   assumes two hyperthreads per core: tfjs-backend-wasm/src/cc/backend.cc), so a 2-core machine gets 1 thread and
 *   `setThreadsCount(2)` is ignored. Emscripten passes its imports through `Module.instantiateWasm`, where the core
 *   count the binary asks for is answered with twice the threads wanted.
 *
 * The arithmetic is XNNPACK's either way: the pool splits an operator's rows between threads, each row summed as
 * one thread would (the test in trainer-node compares training losses with the single-thread build).
 */

/** The emscripten build preloads this many workers (PTHREAD_POOL_SIZE in tfjs-backend-wasm's cc/BUILD); a larger
 * pool would create workers while the main thread blocks waiting for them, which never finishes. */
export const THREADED_WASM_MAX_THREADS = 8;

/** The emscripten module as tfjs's BackendWasm expects it (tfjs's init() adds `tfjs`, the same six calls). */
interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, (...args: number[]) => number>;
  PThread?: { runningWorkers: unknown[]; unusedWorkers: unknown[] };
}

export interface ThreadedWasmSources {
  /** wasm-out/tfjs-backend-wasm-threaded-simd.js's export: the emscripten factory of the threaded-SIMD build. */
  factory: (config: Record<string, unknown>) => Promise<unknown>;
  /** tfjs-backend-wasm's BackendWasm, from the same copy of the package that registered the wasm kernels. */
  BackendWasm: new (module: never) => KernelBackend;
  /** What emscripten starts each pthread worker from: a file path (Node) or a URL (a browser). */
  workerScript: string;
  /** What each worker evaluates to define the factory: the factory's file path (Node) or a Blob of its source. */
  mainScript: string | Blob;
  /** The bytes of tfjs-backend-wasm-threaded-simd.wasm. */
  binary: () => Promise<BufferSource>;
  /** Threads in XNNPACK's pool, the calling thread included: 1 to THREADED_WASM_MAX_THREADS. */
  threads: number;
}

/**
 * The pthread worker's script from the `wasmWorkerContents` string tfjs-backend-wasm ships
 * (wasm-out/tfjs-backend-wasm-threaded-simd.worker.js): the template literal it ships in turned the script's "\n"
 * escapes into newlines inside string literals, which tfjs escapes back before making its blob (backend_wasm.ts).
 */
export function pthreadWorkerScript(wasmWorkerContents: string): string {
  return wasmWorkerContents.replace(/\n/g, '\\n');
}

/**
 * Whether this JavaScript engine can run wasm threads: shared wasm memory (a SharedArrayBuffer), which a browser
 * gives only to a cross-origin-isolated page (COOP + COEP headers), and Node always.
 */
export function wasmThreadsAvailable(): boolean {
  try {
    if (typeof SharedArrayBuffer === 'undefined') return false;
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Throws a KernelError saying why `threads` threads cannot start here (a count outside the pool, no shared memory). */
export function checkThreadedWasm(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > THREADED_WASM_MAX_THREADS) {
    throw new KernelError('wasm-threads', `wasm threads must be a whole number from 1 to ${THREADED_WASM_MAX_THREADS} (the build's worker pool), got ${threads}`, { where: 'wasm' });
  }
  if (!wasmThreadsAvailable()) {
    throw new KernelError('wasm-threads', 'this JavaScript engine has no shared wasm memory (in a browser: the page is not cross-origin isolated)', { where: 'wasm' });
  }
}

/** The cwraps tfjs-backend-wasm's init() puts on the module under `tfjs` (tfjs-backend-wasm/src/backend_wasm.ts). */
function addTfjsCalls(module: EmscriptenModule): void {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Instantiates the threaded-SIMD build with `threads` threads and returns tfjs's BackendWasm over it. Rejects with a
 * KernelError when emscripten aborts (a missing binary, a worker that cannot start).
 */
export async function createThreadedWasmBackend(sources: ThreadedWasmSources): Promise<KernelBackend> {
  const { threads } = sources;
  checkThreadedWasm(threads);
  let abortReason: string | undefined;
  const config: Record<string, unknown> = {
    locateFile: (path: string) => (path.endsWith('.worker.js') ? sources.workerScript : path),
    mainScriptUrlOrBlob: sources.mainScript,
    instantiateWasm: (imports: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      // backend.cc sizes its pool as min(requested, logical cores / 2): answer so that half is the count wanted.
      imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
      sources.binary()
        .then((bytes) => WebAssembly.instantiate(bytes, imports as unknown as WebAssembly.Imports))
        .then((output) => receive(output.instance, output.module))
        .catch((error: unknown) => { abortReason = String(error); (config['onAbort'] as (w: string) => void)(abortReason); });
      return {};
    },
  };
  const module = await new Promise<EmscriptenModule>((resolve, reject) => {
    config['onAbort'] = (what: unknown) => reject(new KernelError('wasm-threads', `the threaded wasm build did not start: ${abortReason ?? String(what)}`, { where: 'wasm' }));
    sources.factory(config).then((m) => resolve(m as EmscriptenModule), (error: unknown) => reject(new KernelError('wasm-threads', `the threaded wasm build did not start: ${String(error)}`, { where: 'wasm', cause: error })));
  });
  addTfjsCalls(module);
  // The constructor calls init_with_threads_count(-1): the pool's size is the core count answered above.
  const backend = new sources.BackendWasm(module as never);
  // In Node a running pthread worker holds the event loop open (emscripten refs it); the pool's threads sleep between
  // operators and must not keep a finished command alive.
  for (const worker of module.PThread?.runningWorkers ?? []) (worker as { unref?: () => void }).unref?.();
  return backend;
}

/**
 * Registers the backend named 'wasm' to start the threaded build with `sources` (replacing tfjs's own start, which
 * is returned so that a caller may put it back); throws first where the threads cannot start (checkThreadedWasm).
 * A worker that fails while emscripten loads it is not caught here: emscripten throws from the worker's error event. Only before the wasm backend has started: tfjs reads the choice of
 * binary once.
 */
export function registerThreadedWasm(sources: ThreadedWasmSources): RegisteredWasmStart {
  checkThreadedWasm(sources.threads);
  const previous = wasmStart();
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => createThreadedWasmBackend(sources), WASM_PRIORITY);
  return previous;
}

/** tfjs-backend-wasm registers 'wasm' at priority 2 (src/base.ts). */
const WASM_PRIORITY = 2;

export interface RegisteredWasmStart {
  factory: () => KernelBackend | Promise<KernelBackend>;
  priority: number;
}

/** The factory the 'wasm' backend is registered with now (tfjs's own, until registerThreadedWasm replaces it). */
export function wasmStart(): RegisteredWasmStart {
  const entry = tf.engine().registryFactory['wasm'];
  if (entry === undefined) throw new KernelError('missing-kernel', 'no backend named wasm is registered: import @tensorflow/tfjs-backend-wasm first', { where: 'wasm' });
  return entry;
}

/** Puts a 'wasm' start back (e.g. tfjs's single-thread build), disposing a started wasm backend first. */
export function restoreWasmStart(start: RegisteredWasmStart): void {
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', start.factory, start.priority);
}
