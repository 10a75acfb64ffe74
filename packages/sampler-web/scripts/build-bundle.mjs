// Second half of `pnpm build` (after tsc): the self-contained browser bundle
// for <script type="module"> pages, the tfjs .wasm binaries beside it, and the
// bundle's gzipped size, printed and kept in dist/size.json for the budget.
import { build } from 'esbuild';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const bundleName = 'forger-sampler.js';

await build({
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(dist, bundleName),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'eof',
  // Read sibling workspace packages from source, like tsc and vitest do.
  conditions: ['@forger/source'],
  logLevel: 'warning',
});

// The .wasm binaries are not JavaScript: they ship as files next to the bundle
// (and next to dist/wasm-paths.js, whose import.meta.url default points here).
const require = createRequire(join(root, 'package.json'));
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const wasm = {};
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(join(wasmDist, name), join(dist, name));
  wasm[name] = statSync(join(dist, name)).size;
}

const code = readFileSync(join(dist, bundleName));
const size = {
  bundle: bundleName,
  contents:
    'Sampler + @forger/core + @forger/models + tfjs-core + the WebGPU and WASM backends with the kernels Forger uses (src/backend/kernel-names.ts), minified',
  bytes: code.length,
  gzipBytes: gzipSync(code, { level: 9 }).length,
  wasmBytes: wasm,
  simdWasmGzipBytes: gzipSync(readFileSync(join(dist, 'tfjs-backend-wasm-simd.wasm')), { level: 9 }).length,
};
writeFileSync(join(dist, 'size.json'), `${JSON.stringify(size, null, 2)}\n`);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `${bundleName}: ${kib(size.bytes)} minified, ${kib(size.gzipBytes)} gzipped (JS only); ` +
    `tfjs-backend-wasm-simd.wasm: ${kib(wasm['tfjs-backend-wasm-simd.wasm'])}, ${kib(size.simdWasmGzipBytes)} gzipped`,
);
