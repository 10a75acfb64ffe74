/**
 * What WebGPU adapter this browser offers, asked before the visitor can pick
 * the WebGPU backend, so that a CPU emulation is named with its cost up front.
 * The test for "software" mirrors @forger/sampler-web's isSoftwareAdapter (which
 * its `auto` uses to skip them; it is not exported): Chromium's SwiftShader,
 * Mesa's llvmpipe/lavapipe and Windows' WARP, or an adapter that says it is a
 * fallback adapter.
 */
export interface AdapterProbe {
  kind: 'none' | 'hardware' | 'software';
  /** "google swiftshader", "nvidia ampere", … */
  name: string;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
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
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
  const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|microsoft basic render|\bwarp\b/i.test(text);
  return { kind: software ? 'software' : 'hardware', name };
}
