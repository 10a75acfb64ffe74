/** What a WebGPU adapter says about itself (GPUAdapterInfo, and the older isFallbackAdapter flag). */
export interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * CPU implementations of WebGPU (SwiftShader in Chromium, llvmpipe/lavapipe
 * under Mesa, WARP on Windows). On them tfjs-webgpu compiles every shader for a
 * CPU and runs far slower than WASM SIMD: a DCGAN batch of 64 took ~25 s on
 * SwiftShader here against well under a second on WASM. So `auto` passes them
 * over; asking for `webgpu` explicitly still uses them.
 */
export function isSoftwareAdapter(info: GpuAdapterInfo, isFallbackAdapter = false): boolean {
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
  return isFallbackAdapter || info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|microsoft basic render|\bwarp\b/i.test(text);
}
