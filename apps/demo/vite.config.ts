import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineConfig } from 'vite';

// @forger/sampler-web's built dist/, by the real path of the workspace link (not by module resolution, whose export
// conditions differ between `vite`, vitest and tsx: under "@forger/source" it would find src/).
const samplerDist = `${realpathSync(fileURLToPath(new URL('./node_modules/@forger/sampler-web', import.meta.url)))}/dist`.replaceAll('\\', '/');

// The sampler's one definition of the two headers, from its dist/ file (no imports), like samplerDist above: the
// package's entry would, under vitest's "@forger/source" condition, load TypeScript sources Node cannot run.
const { CROSS_ORIGIN_ISOLATION_HEADERS } = (await import(pathToFileURL(`${samplerDist}/cross-origin-isolation.js`).href)) as typeof import('@forger/sampler-web');

// Relative base: the built dist/ works from any static host and any sub-path.
// @forger/sampler-web resolves to its dist/ (built first by turbo's ^build), whose
// `new URL('./*.wasm', import.meta.url)` references Vite copies into assets/.
// Cross-origin isolation (COOP + COEP) on the dev and preview servers: it gives the page SharedArrayBuffer, so the
// sampler runs WASM on one thread per core (@forger/sampler-web's README: WASM threads). A static host serving dist/
// must send the same two headers for threads; without them the demo runs WASM on one thread.
export default defineConfig({
  base: './',
  server: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 1500 },
  optimizeDeps: {
    // Pre-bundling would move the sampler away from its .wasm files during `vite dev`: it is served as is.
    exclude: ['@forger/sampler-web'],
    // … so the dependency scan, which stops at an excluded package, is pointed at the sampler's files too. Its
    // WASM and WebGPU kernels (and @forger/core, @forger/models behind it) are imported lazily, when a backend
    // starts; found only then, they made Vite re-optimise mid-load, answer "504 (Outdated Optimize Dep)" and
    // reload the page twice on a cold start. Scanned up front, they are pre-bundled before the page is served.
    entries: ['index.html', `${samplerDist}/**/*.js`, `!${samplerDist}/forger-sampler.js`],
  },
});
