/**
 * What WebGPU adapter this browser offers, asked before the visitor can pick
 * the WebGPU backend, so that a CPU emulation is named with its cost up front.
 * "Software" is @forger/sampler-web's own test (isSoftwareAdapter, which its
 * `auto` uses to skip them): Chromium's SwiftShader, Mesa's llvmpipe/lavapipe and
 * Windows' WARP, or an adapter that says it is a fallback adapter.
 */
import { isSoftwareAdapter, type GpuAdapterInfo } from '@forger/sampler-web';

export interface AdapterProbe {
  kind: 'none' | 'hardware' | 'software';
  /** "google swiftshader", "nvidia ampere", … */
  name: string;
}

interface AdapterLike {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
}

export async function probeWebGpuAdapter(): Promise<AdapterProbe> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  let adapter: AdapterLike | null = null;
  try {
    adapter = (await gpu?.requestAdapter()) ?? null;
  } catch {
    adapter = null;
  }
  if (!adapter) return { kind: 'none', name: '' };
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const software = isSoftwareAdapter(info, adapter.isFallbackAdapter === true);
  return { kind: software ? 'software' : 'hardware', name };
}
