import { defineConfig } from 'vite';

// Relative base: the built dist/ works from any static host and any sub-path.
// @forger/sampler-web resolves to its dist/ (built first by turbo's ^build), whose
// `new URL('./*.wasm', import.meta.url)` references Vite copies into assets/.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 1500 },
  // Pre-bundling would move the sampler away from its .wasm files during `vite dev`.
  optimizeDeps: { exclude: ['@forger/sampler-web'] },
});
