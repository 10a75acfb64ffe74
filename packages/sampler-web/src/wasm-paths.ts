/**
 * Where the tfjs WASM binaries live. This file sits at the root of src/ on
 * purpose: in dist/ it lands next to both dist/index.js and the bundled
 * dist/forger-sampler.js, and so do the copied .wasm files, so one
 * `import.meta.url`-relative default serves both. The literal
 * `new URL('./x.wasm', import.meta.url)` form is also what Vite, webpack 5 and
 * Parcel recognise as an asset reference, so bundlers copy the binaries too.
 */
export const wasmBinaryNames = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;
export type WasmBinaryName = (typeof wasmBinaryNames)[number];

/** A folder URL (ending in `/`) that holds all three binaries, or one URL per binary. */
export type WasmPaths = string | Record<WasmBinaryName, string>;

export function defaultWasmPaths(): Record<WasmBinaryName, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('./tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('./tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('./tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}

/** A page may pass a relative folder ("./wasm/"); tfjs needs absolute URLs, and a folder without its slash would lose its last segment. */
export function resolveWasmPaths(paths: WasmPaths | undefined, base: string): Record<WasmBinaryName, string> {
  if (paths === undefined) return defaultWasmPaths();
  if (typeof paths === 'string') {
    const folder = new URL(paths.endsWith('/') ? paths : `${paths}/`, base);
    return Object.fromEntries(wasmBinaryNames.map((name) => [name, new URL(name, folder).href])) as Record<WasmBinaryName, string>;
  }
  return Object.fromEntries(wasmBinaryNames.map((name) => [name, new URL(paths[name], base).href])) as Record<
    WasmBinaryName,
    string
  >;
}
