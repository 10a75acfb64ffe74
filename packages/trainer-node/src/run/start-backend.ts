import { prepareBackend, type BackendChoice, type BackendInfo } from '../backends/index.js';
import type { CliIo } from '../io/cli-io.js';
import { UsageError } from './usage-error.js';

/** The help of `--wasm-threads`, for every command that takes it. */
export const WASM_THREADS_HELP = 'threads of the wasm backend: 1 is tfjs\'s single-thread build, more its threaded build (1 to 8)';

/** Whether a --backend choice may run on wasm, where --wasm-threads applies. */
export function usesWasmThreads(choice: BackendChoice): boolean {
  return choice === 'wasm' || choice === 'auto';
}

/** The usage error of a --wasm-threads given with a backend that has no wasm threads. */
export function wasmThreadsUnused(choice: BackendChoice): UsageError {
  return new UsageError('usage', `--wasm-threads sets the wasm backend's threads; --backend ${choice} does not use it`, { where: '--wasm-threads' });
}

/**
 * Prepares the backend of a command and says which one in one line. The trail of how `auto` chose (each backend
 * tried and why it was skipped) and what the native libraries printed while probing come only with --verbose:
 * without it a machine with no GPU prints the chosen backend, not Dawn's complaints about its Vulkan driver.
 * `wasmThreads` (--wasm-threads) is refused with a backend other than wasm or auto; without it wasm uses every core.
 */
export async function startBackend(choice: BackendChoice, io: CliIo, say: (line: string) => void, wasmThreads?: number): Promise<BackendInfo> {
  if (wasmThreads !== undefined && !usesWasmThreads(choice)) throw wasmThreadsUnused(choice);
  const backend = await prepareBackend(choice, { ...(io.verbose ? { log: say } : {}), ...(wasmThreads !== undefined ? { wasmThreads } : {}) });
  if (io.verbose && backend.nativeOutput) say(`native output of the backend probe:\n${backend.nativeOutput.trimEnd()}`);
  if (backend.notice) say(backend.notice);
  say(backend.description);
  return backend;
}
