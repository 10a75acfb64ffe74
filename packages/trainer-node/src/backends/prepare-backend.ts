import * as tf from '@tensorflow/tfjs-core';
import {
  convRoute, filterGradientRoute, KernelError, registerForgerKernels, restoreWasmStart, unregisterForgerKernels, wasmStart, type NodeBackendName, type RegisteredWasmStart,
} from '@forger/kernels';
import {
  applyKernelFlagsFromEnvironment, describeAdapter, importOptional, installNodeWebGpu, nodeWebGpuInstalled, pointVulkanAtSwiftShader, registerGradients,
  type GpuAdapterDescription,
} from '@forger/kernels/node';
import type { BackendChoice } from './backend-choice.js';
import { BackendError } from './backend-error.js';
import { probeWebGpu } from './probe-webgpu.js';
import { wasmBinariesFolder } from './wasm-files.js';
import { defaultWasmThreads, useNodeThreadedWasm } from './node-wasm-threads.js';

export interface BackendInfo {
  /** The tfjs backend now active: 'tensorflow' | 'webgpu' | 'wasm' | 'cpu'. */
  name: string;
  /** The GPU adapter (webgpu) or the native library (tensorflow). */
  adapter?: string;
  /** Why each backend tried before this one was skipped, e.g. "tensorflow: @tensorflow/tfjs-node is not installed …". */
  reasons: string[];
  /** CPU threads the backend computes with (wasm: XNNPACK's pool, tfjs's getThreadsCount()). */
  threads?: number;
  /** One line for the user when the backend started, but not as asked (wasm threads that could not start). */
  notice?: string;
  /** Forger's training kernels registered on it. */
  kernels: string[];
  /** One line to print at start: "backend: wasm (1 thread, SIMD)". */
  description: string;
  /** What native code wrote to stderr while the backends were probed (captured, see probe-webgpu.ts); for --verbose. */
  nativeOutput?: string;
}

export interface PrepareBackendOptions {
  /** Progress lines ("trying webgpu …"); the caller prints `description` itself. */
  log?: (line: string) => void;
  /** Let an explicit `webgpu` choice (or tests) use a software adapter such as SwiftShader; `auto` never does. */
  allowSoftwareGpu?: boolean;
  /** Point Dawn at Chromium's SwiftShader Vulkan driver (tests on machines without a GPU). */
  useSwiftShader?: boolean;
  /** Threads of the wasm backend (1: tfjs's single-thread build; more: its threaded build); default: every core. */
  wasmThreads?: number;
}

/** `auto` tries these in order: a native TensorFlow build, a real GPU, then wasm (always present). */
const autoOrder = ['tensorflow', 'webgpu', 'wasm'] as const satisfies readonly NodeBackendName[];

/**
 * Chooses, initialises and prepares a TensorFlow.js backend for training, registering tfjs's gradients
 * and Forger's training kernels. `auto` follows onnxruntime-web's resolveBackend: try each in order,
 * remember why one failed, move on; if all fail, one error lists every reason. An explicit choice that
 * fails throws a BackendError saying what to do.
 */
export async function prepareBackend(choice: BackendChoice, opts: PrepareBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? (() => {});
  await registerGradients();
  try {
    applyKernelFlagsFromEnvironment();
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    throw new BackendError('bad-flag', error.message, { where: choice, cause: error });
  }
  if (choice !== 'auto') {
    const info = await initialise(choice, opts, true);
    return { ...info, reasons: [] };
  }
  const reasons: string[] = [];
  let nativeOutput = '';
  for (const candidate of autoOrder) {
    log(`trying backend ${candidate} …`);
    try {
      const info = await initialise(candidate, opts, false);
      nativeOutput += info.nativeOutput ?? '';
      return { ...info, reasons, ...(nativeOutput ? { nativeOutput } : {}) };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (error instanceof BackendError) nativeOutput += error.nativeOutput ?? '';
      reasons.push(`${candidate}: ${why}`);
      log(`skipped ${candidate}: ${why}`);
    }
  }
  throw new BackendError('all-failed', `no TensorFlow.js backend could be initialised:\n  ${reasons.join('\n  ')}`, { where: 'auto', nativeOutput: nativeOutput || undefined });
}

type Initialised = Omit<BackendInfo, 'reasons'>;

async function initialise(backend: NodeBackendName, opts: PrepareBackendOptions, explicit: boolean): Promise<Initialised> {
  switch (backend) {
    case 'tensorflow': return initialiseTensorflow();
    case 'webgpu': return initialiseWebGpu(opts, explicit);
    case 'wasm': return initialiseWasm(opts.wasmThreads ?? defaultWasmThreads());
    case 'cpu': return initialiseCpu();
  }
}

/** tfjs-node-gpu before tfjs-node: both register a backend named 'tensorflow'. */
const tensorflowPackages = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

async function initialiseTensorflow(): Promise<Initialised> {
  for (const pkg of tensorflowPackages) {
    let loaded: unknown;
    try {
      // Resolved from this package, where a user adds tfjs-node (see src/backends/README.md).
      loaded = await importOptional(pkg, (specifier) => import(specifier));
    } catch (error) {
      throw new BackendError('init-failed', `${pkg} is installed but failed to load (${firstLine(error)}); reinstall it, or choose --backend wasm`, { where: 'tensorflow' });
    }
    if (loaded === undefined) continue;
    await activate('tensorflow');
    return { name: 'tensorflow', adapter: pkg, kernels: [], description: `backend: tensorflow (${pkg}, native)` };
  }
  throw new BackendError('not-installed', 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed; add one with '
    + '`pnpm --filter @forger/trainer-node add @tensorflow/tfjs-node@4.22.0` (or tfjs-node-gpu with CUDA), see src/backends/README.md', { where: 'tensorflow' });
}

const webgpuNotInstalled = 'the `webgpu` package (Dawn for Node) is not installed; `pnpm --filter @forger/trainer-node add webgpu@0.6.2`';
const noAdapter = 'Dawn found no GPU adapter (no GPU driver, or libvulkan.so.1 is not on the library path); use --backend wasm, '
  + 'or for a software GPU start Node with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json '
  + '(plus LD_LIBRARY_PATH=/usr/lib/chromium where libvulkan1 is not installed)';

async function initialiseWebGpu(opts: PrepareBackendOptions, explicit: boolean): Promise<Initialised> {
  if (opts.useSwiftShader) pointVulkanAtSwiftShader();
  let nativeOutput: string | undefined;
  if (!nodeWebGpuInstalled()) {
    // Look for an adapter in a child process first, so that Dawn's native warnings on a machine without a usable
    // GPU are captured rather than printed (see probe-webgpu.ts); load Dawn here only when there is one to use.
    const probe = await probeWebGpu();
    if (probe === undefined) throw new BackendError('not-installed', webgpuNotInstalled, { where: 'webgpu' });
    nativeOutput = probe.nativeOutput || undefined;
    if (probe.adapter === null) throw new BackendError('no-adapter', noAdapter, { where: 'webgpu', nativeOutput: nativeOutput });
    const probed = describeAdapter(probe.adapter as unknown as GPUAdapter);
    if (probed.software && !(explicit || opts.allowSoftwareGpu)) throw softwareOnly(probed, nativeOutput);
  }
  const gpu = await installNodeWebGpu({ useSwiftShader: opts.useSwiftShader ?? false });
  if (gpu === undefined) throw new BackendError('not-installed', webgpuNotInstalled, { where: 'webgpu' });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new BackendError('no-adapter', noAdapter, { where: 'webgpu', nativeOutput: nativeOutput });
  const described: GpuAdapterDescription = describeAdapter(adapter);
  if (described.software && !(explicit || opts.allowSoftwareGpu)) throw softwareOnly(described, nativeOutput);
  await import('@tensorflow/tfjs-backend-webgpu');
  await activate('webgpu');
  const kernels = registerForgerKernels('webgpu');
  const kind = described.software ? 'software' : (described.architecture || described.vendor || 'GPU');
  // Which kernels run is worth a line: the routes differ in speed, and FORGER_WEBGPU_CONV / _FILTER_GRADIENT pick.
  const description = `backend: webgpu (${described.name}, ${kind}; ${convRoute()} convolutions, ${filterGradientRoute()} filter gradient)`;
  return { name: 'webgpu', adapter: described.name, kernels, description, ...(nativeOutput ? { nativeOutput } : {}) };
}

function softwareOnly(adapter: GpuAdapterDescription, nativeOutput: string | undefined): BackendError {
  return new BackendError('no-adapter', `only a software adapter (${adapter.name}) is available, slower than wasm; --backend webgpu uses it anyway`, { where: 'webgpu', nativeOutput: nativeOutput });
}

/** tfjs's own start of the wasm backend (its single-thread SIMD build in Node), kept to come back to. */
let tfjsWasmStart: RegisteredWasmStart | undefined;

async function initialiseWasm(threads: number): Promise<Initialised> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (tfjsWasmStart === undefined) {
    tfjsWasmStart = wasmStart();
    wasm.setWasmPaths(wasmBinariesFolder());
  }
  let notice: string | undefined;
  const started = tf.engine().registry['wasm'] !== undefined;
  if (!started || wasm.getThreadsCount() !== threads) {
    // tfjs's own wasm kernels bind to the module in their setup, run by setBackend for the kernels registered then:
    // its own, not the Forger kernels that replace some of them (registered again below).
    unregisterForgerKernels('wasm');
    if (threads === 1) restoreWasmStart(tfjsWasmStart);
    else {
      try {
        useNodeThreadedWasm(threads, wasm.BackendWasm);
        await activate('wasm');
      } catch (error) {
        notice = `wasm: ${threads} threads could not start (${firstLine(error)}); running on 1 thread`;
        restoreWasmStart(tfjsWasmStart);
      }
    }
  }
  await activate('wasm');
  const kernels = registerForgerKernels('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const actual = wasm.getThreadsCount();
  const description = `backend: wasm (${actual} thread${actual === 1 ? '' : 's'}${simd ? ', SIMD' : ''})`;
  return { name: 'wasm', threads: actual, kernels, description, ...(notice ? { notice } : {}) };
}

async function initialiseCpu(): Promise<Initialised> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  const kernels = registerForgerKernels('cpu');
  return { name: 'cpu', threads: 1, kernels, description: 'backend: cpu (plain JavaScript, slow for convolutional models)' };
}

async function activate(name: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new BackendError('init-failed', `tf.setBackend('${name}') failed: ${firstLine(error)}`, { where: name });
  }
  if (!ok || tf.getBackend() !== name) {
    throw new BackendError('init-failed', `tf.setBackend('${name}') did not initialise the backend`, { where: name });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
