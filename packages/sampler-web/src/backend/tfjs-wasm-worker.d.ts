// tfjs-backend-wasm ships its pthread worker as a CommonJS module exporting the script as a string (tfjs's own
// backend_wasm.js imports it the same way); the package has no declaration for it.
declare module '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js' {
  export const wasmWorkerContents: string;
}
