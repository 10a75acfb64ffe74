import { Option } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../backends/index.js';
import { WASM_THREADS_HELP } from '../run/start-backend.js';
import { wasmThreadCount } from './value-parsers.js';

/**
 * The `--backend` option of every command that computes: one definition, its choices the list src/backends
 * exports. `train` passes no default (a resumed run keeps its stored backend unless the user gives one).
 */
export function backendOption(defaultChoice?: BackendChoice, description = 'TensorFlow.js backend; auto tries tensorflow, a GPU (webgpu), then wasm'): Option {
  const option = new Option('--backend <name>', description).choices(BACKEND_CHOICES);
  return defaultChoice === undefined ? option : option.default(defaultChoice);
}

/** `--wasm-threads <n>` of generate, score and eval (train's comes from its flag table, with the same help). */
export function wasmThreadsOption(): Option {
  return new Option('--wasm-threads <n>', WASM_THREADS_HELP).argParser(wasmThreadCount);
}
