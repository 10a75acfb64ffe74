import { existsSync } from 'node:fs';
import { importOptional } from './optional-module.js';

/** What Forger reports about a WebGPU adapter. */
export interface GpuAdapterDescription {
  /** "NVIDIA H100 80GB HBM3" or Dawn's description, e.g. "SwiftShader driver 5.0.0". */
  name: string;
  vendor: string;
  architecture: string;
  /** A CPU rasteriser (SwiftShader, llvmpipe, a "fallback" adapter): correct but slower than wasm. */
  software: boolean;
}

/** Chromium's SwiftShader Vulkan driver: a software WebGPU device for tests where no GPU exists. */
export const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface WebGpuModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/**
 * Makes `navigator.gpu` exist in Node through the `webgpu` npm package (Dawn's dawn.node), as
 * tfjs-backend-webgpu expects in a browser. Returns the GPU object, or undefined when the package is
 * not installed. Idempotent. Also what a later GPU bundle calls: the module is loaded by a variable
 * import, so bundling Forger never pulls in the native binding.
 *
 * `useSwiftShader` points the Vulkan loader at Chromium's SwiftShader ICD (tests on machines without a
 * GPU). It only works when the Vulkan loader itself (libvulkan.so.1) is loadable: Debian's chromium
 * ships one in /usr/lib/chromium, which must be on LD_LIBRARY_PATH when the process starts.
 */
export async function installNodeWebGpu(opts: { useSwiftShader?: boolean } = {}): Promise<GPU | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined) return nav.gpu;
  if (opts.useSwiftShader) pointVulkanAtSwiftShader();
  const webgpu = await importOptional<WebGpuModule>(webgpuPackage);
  if (webgpu === undefined) return undefined;
  Object.assign(globalThis, webgpu.globals);
  const gpu = webgpu.create([]);
  // Node 21+ defines a read-only navigator; Node 20 has none.
  if (nav === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  return gpu;
}

const webgpuPackage = 'webgpu';

/**
 * Points the Vulkan loader at SwiftShader, for this process and the children it starts (the adapter probe).
 * Read by the loader when Dawn creates its instance.
 */
export function pointVulkanAtSwiftShader(): void {
  if (!existsSync(swiftShaderIcd)) return;
  process.env['VK_ICD_FILENAMES'] ??= swiftShaderIcd;
  process.env['XDG_RUNTIME_DIR'] ??= '/tmp';
}

/** True once installNodeWebGpu has run in this process: Dawn is loaded, and probing it again in a child would tell nothing new. */
export function nodeWebGpuInstalled(): boolean {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu !== undefined;
}

/** Describes an adapter; `software` is what `auto` uses to skip SwiftShader and other CPU devices. */
export function describeAdapter(adapter: GPUAdapter): GpuAdapterDescription {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const description = info?.description ?? '';
  const name = description || [vendor, architecture, info?.device].filter(Boolean).join(' ') || 'unknown adapter';
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true
    || (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  const software = fallback || /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i.test(`${vendor} ${architecture} ${description}`);
  return { name, vendor, architecture, software };
}
