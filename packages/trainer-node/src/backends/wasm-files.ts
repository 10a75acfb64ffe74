import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries, found through Node's own resolution of the
 * installed package (never a download). tfjs's Node build would find them beside its own script too,
 * but only while it is loaded from node_modules; passing the folder explicitly (setWasmPaths) keeps that
 * true when Forger's CLI is bundled.
 */
export function wasmBinariesFolder(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');     // …/dist/tf-backend-wasm.node.js
  const folder = dirname(main);
  if (!existsSync(join(folder, 'tfjs-backend-wasm-simd.wasm'))) {
    throw new Error(`@tensorflow/tfjs-backend-wasm at ${folder} carries no tfjs-backend-wasm-simd.wasm: reinstall it (pnpm install)`);
  }
  return folder.endsWith('/') ? folder : `${folder}/`;
}
