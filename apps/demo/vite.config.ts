import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// @forger/sampler-web's built dist/, by the real path of the workspace link (not by module resolution, whose export
// conditions differ between `vite`, vitest and tsx: under "@forger/source" it would find src/).
const samplerDist = `${realpathSync(fileURLToPath(new URL('./node_modules/@forger/sampler-web', import.meta.url)))}/dist`.replaceAll('\\', '/');

// Relative base: the built dist/ works from any static host and any sub-path.
// @forger/sampler-web resolves to its dist/ (built first by turbo's ^build), whose
// `new URL('./*.wasm', import.meta.url)` references Vite copies into assets/.
export default defineConfig({
  base: './',
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
