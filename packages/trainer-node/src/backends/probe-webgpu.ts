import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BackendError } from './backend-error.js';

/** What a probe of Dawn found, as describeAdapter reads it, and what Dawn printed while looking. */
export interface WebGpuProbe {
  /** null: Dawn found no adapter */
  adapter: { info: Partial<GPUAdapterInfo>; isFallbackAdapter: boolean } | null;
  /** everything the native code wrote to stderr: Vulkan loader and Dawn warnings, e.g. "XDG_RUNTIME_DIR is invalid" */
  nativeOutput: string;
}

/**
 * Asks Dawn for an adapter in a short child process whose stderr is captured (issue 17 item 4).
 *
 * Why a child: Dawn and the Vulkan loader write their warnings ("error: XDG_RUNTIME_DIR is invalid …",
 * "Warning: Vulkan shaderUniform*ArrayDynamicIndexing required …") from native code straight to file descriptor 2.
 * Nothing in-process can catch that: process.stderr.write is never called, and plain Node has no dup2 to point
 * fd 2 elsewhere for a while (it would take a native addon). A child's fd 2 is a pipe we own. Measured on the 2-core
 * dev machine without a GPU: the probe costs 0.15–0.25 s (Node start + dawn.node load + adapter request), against
 * the 0.05 s of the in-process request it replaces, and the user sees no native noise.
 *
 * When the probe finds an adapter the caller goes on to create the device in this process; whatever Dawn prints
 * then is not captured. That happens only on machines with a usable GPU (or with --backend webgpu on SwiftShader),
 * where the probe above saw Dawn print nothing on the machines we measured.
 *
 * Resolves to undefined when the `webgpu` package is not installed.
 */
export async function probeWebGpu(): Promise<WebGpuProbe | undefined> {
  let modulePath: string;
  try {
    modulePath = createRequire(import.meta.url).resolve(webgpuPackage);
  } catch {
    return undefined;
  }
  const { code, stdout, stderr } = await runProbe(pathToFileURL(modulePath).href);
  let adapter: WebGpuProbe['adapter'] | undefined;
  try {
    adapter = JSON.parse(stdout) as WebGpuProbe['adapter'];
  } catch {
    adapter = undefined;
  }
  if (code !== 0 || adapter === undefined) {
    throw new BackendError('init-failed', `Dawn (the webgpu package) failed while looking for an adapter (exit code ${String(code)}); use --backend wasm`, { where: 'webgpu', nativeOutput: stderr });
  }
  return { adapter, nativeOutput: stderr };
}

const webgpuPackage = 'webgpu';

/** The child: load dawn.node, request the adapter installNodeWebGpu would, print what describeAdapter needs as JSON. */
const probeSource = `
const webgpu = await import(process.env.FORGER_WEBGPU_MODULE);
const adapter = await webgpu.create([]).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter?.info;
const found = adapter === null ? null : {
  info: { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', device: info?.device ?? '', description: info?.description ?? '' },
  isFallbackAdapter: adapter.isFallbackAdapter === true || info?.isFallbackAdapter === true,
};
process.stdout.write(JSON.stringify(found), () => process.exit(0));
`;

/** A probe that hangs (a driver waiting on a device) is given up after this long and counts as a failure. */
const PROBE_TIMEOUT_MS = 30_000;

function runProbe(moduleUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // the child inherits the environment, so VK_ICD_FILENAMES / LD_LIBRARY_PATH apply to it as they would here
    const child = spawn(process.execPath, ['--input-type=module', '-e', probeSource], {
      env: { ...process.env, FORGER_WEBGPU_MODULE: moduleUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
