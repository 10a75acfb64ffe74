// `pnpm bench [webgpu|wasm]`: the sampler bundle (dist/, build first) in headless chromium.
// For vanilla and DCGAN generators (float16 web exports) on WASM and on WebGPU:
// time to first image (Sampler.load + the first batch of 64, in a fresh page, so
// backend start, WASM compile and shader compile are included) and the median
// ms per further batch of 64, with the achieved GFLOP/s. WASM runs twice: on a
// plain static host (tfjs's single-thread SIMD build, the sampler's only way before issue 20) and on a
// cross-origin isolated page (COOP + COEP headers: SharedArrayBuffer, so the threaded build, one thread per core);
// `wasmThreadSpeedup` is the ratio per model, with issue 20's target (DCGAN ≤ 300 ms per batch of 64). Each page runs
// the DCGAN also with FORGER_UPSAMPLE_CONV=direct (its upsample + conv pairs as written, as before the sub-pixel fold):
// `dcganSubPixelSpeedup` is that ratio per page. WebGPU runs twice: with Forger's kernels (@forger/kernels' WebGPU
// row: its WGSL convolutions and products, conv/product + bias + tanh in one program) and with tfjs-backend-webgpu's
// own (the page's ?tfjsflags=FORGER_WEBGPU_CONV:tfjs, what the sampler ran before it registered Forger's). Prints JSON and keeps it
// in bench-results/sampler-web.json. Weights are untrained: speed does not
// depend on their values.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelSpec } from '@forger/core';
import { CROSS_ORIGIN_ISOLATION_HEADERS, dcganSpec, launchChromium, makeCheckpoint, serveStatic, vanillaSpec, webGpuAdapter } from '../test-support/index.js';
import { generatorFlopsPerImage } from './generator-flops.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const batch = 64;
// Batches timed after the first; SwiftShader is slow, so fewer there.
const repeats: Record<string, number> = { wasm: 5, webgpu: 2 };
// upsampleConv 'direct': the DCGAN generator's upsample + 5×5 conv pairs as written, what the sampler ran before
// @forger/models folded them into sub-pixel convolutions (subpixel-fold.ts); the same page otherwise, same run.
const configurations = [
  { backend: 'wasm', isolated: false, webgpuKernels: undefined, upsampleConv: 'subpixel' },
  { backend: 'wasm', isolated: false, webgpuKernels: undefined, upsampleConv: 'direct' },
  { backend: 'wasm', isolated: true, webgpuKernels: undefined, upsampleConv: 'subpixel' },
  { backend: 'wasm', isolated: true, webgpuKernels: undefined, upsampleConv: 'direct' },
  { backend: 'webgpu', isolated: false, webgpuKernels: 'forger', upsampleConv: 'subpixel' },
  { backend: 'webgpu', isolated: false, webgpuKernels: 'forger', upsampleConv: 'direct' },
  { backend: 'webgpu', isolated: false, webgpuKernels: 'tfjs', upsampleConv: 'subpixel' },
] as const;
// `pnpm bench webgpu` (or wasm): only the configurations of those backends.
const only = process.argv.slice(2);

interface PageTiming {
  backend: string;
  backendDetail: string;
  loadMs: number;
  firstBatchMs: number;
  batchMs: number[];
  generatorMs: number[];
}

const models: Record<string, ModelSpec> = { vanilla: vanillaSpec(), dcgan: dcganSpec() };
const routes: Record<string, { contentType: string; body: Uint8Array | string }> = {
  '/bench.html': {
    contentType: 'text/html',
    body: `<!doctype html><body><script type="module">import * as f from '/forger-sampler.js'; window.forger = f;</script></body>`,
  },
};
for (const [name, spec] of Object.entries(models)) {
  routes[`/${name}.forger`] = { contentType: 'application/octet-stream', body: await makeCheckpoint(spec, { seed: 1, webDType: 'float16' }) };
}
const server = await serveStatic([join(root, 'dist')], routes);
const isolatedServer = await serveStatic([join(root, 'dist')], routes, { headers: CROSS_ORIGIN_ISOLATION_HEADERS });
const browser = await launchChromium();
const results: Array<Record<string, unknown>> = [];
let adapter: string | null = null;

try {
  const probe = await browser.newPage();
  await probe.goto(`${server.url}bench.html`);
  adapter = await webGpuAdapter(probe);
  await probe.close();
  for (const { backend, isolated, webgpuKernels, upsampleConv } of configurations) {
    if (only.length > 0 && !only.includes(backend)) continue;
    if (backend === 'webgpu' && !adapter) {
      results.push({ backend, skipped: 'chromium gave no WebGPU adapter' });
      continue;
    }
    for (const [model, spec] of Object.entries(models)) {
      const page = await browser.newPage();
      // A tfjs flag from the page's URL: tfjs-core reads ?tfjsflags= when the flag is registered.
      const flags = [webgpuKernels === 'tfjs' ? 'FORGER_WEBGPU_CONV:tfjs' : '', upsampleConv === 'direct' ? 'FORGER_UPSAMPLE_CONV:direct' : ''].filter((f) => f !== '');
      await page.goto(`${(isolated ? isolatedServer : server).url}bench.html${flags.length > 0 ? `?tfjsflags=${flags.join(',')}` : ''}`);
      await page.waitForFunction(() => 'forger' in window);
      const t = await page.evaluate(
        async ([url, b, count, reps]) => {
          const { Sampler } = (window as unknown as { forger: typeof import('../index.js') }).forger;
          const t0 = performance.now();
          const s = await Sampler.load(url, { backend: b as 'wasm' });
          const loaded = performance.now();
          await s.sample({ count, seed: 0 });
          const first = performance.now();
          const batchMs: number[] = [];
          const generatorMs: number[] = [];
          for (let i = 1; i <= reps; i++) {
            const start = performance.now();
            const out = await s.sample({ count, seed: i });
            batchMs.push(performance.now() - start);
            generatorMs.push(out.milliseconds);
          }
          const timing = { backend: s.backend, backendDetail: s.backendDetail, loadMs: loaded - t0, firstBatchMs: first - loaded, batchMs, generatorMs };
          s.dispose();
          return timing;
        },
        [`/${model}.forger`, backend, batch, repeats[backend]!] as const,
      );
      await page.close();
      const loadAverage = loadavg().map((l) => Number(l.toFixed(2)));
      results.push({ ...summarize(model, spec, t as PageTiming), crossOriginIsolated: isolated, ...(webgpuKernels ? { webgpuKernels } : {}), upsampleConv, loadAverage });
      console.error(`${model} on ${backend}: ${JSON.stringify(results.at(-1))}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
  await isolatedServer.close();
}

function summarize(model: string, spec: ModelSpec, t: PageTiming): Record<string, unknown> {
  const flopsPerImage = generatorFlopsPerImage(spec);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const msPerBatch = median(t.batchMs);
  const round = (x: number, digits = 1) => Number(x.toFixed(digits));
  return {
    model,
    backend: t.backend,
    backendDetail: t.backendDetail,
    weights: 'float16 web export',
    mflopPerImage: round(flopsPerImage / 1e6, 3),
    timeToFirstImageMs: round(t.loadMs + t.firstBatchMs),
    loadMs: round(t.loadMs),
    firstBatchMs: round(t.firstBatchMs),
    msPerBatch64: round(msPerBatch),
    msPerBatch64All: t.batchMs.map((x) => round(x)),
    // Generator pass + read-back only, without the RGBA conversion.
    generatorMsPerBatch64: round(median(t.generatorMs)),
    gflopPerSecond: round((flopsPerImage * batch) / (msPerBatch / 1000) / 1e9, 2),
  };
}

/** Per model: ms per batch of 64 on the plain page (1 thread) over the isolated page's (threads), same run. */
function wasmThreadSpeedup(): Record<string, unknown> | undefined {
  const wasm = results.filter((r) => r['backend'] === 'wasm' && r['upsampleConv'] === 'subpixel' && typeof r['msPerBatch64'] === 'number');
  const speedup: Record<string, unknown> = {};
  for (const model of Object.keys(models)) {
    const plain = wasm.find((r) => r['model'] === model && r['crossOriginIsolated'] === false);
    const isolated = wasm.find((r) => r['model'] === model && r['crossOriginIsolated'] === true);
    if (plain === undefined || isolated === undefined) continue;
    const ms = isolated['msPerBatch64'] as number;
    speedup[model] = {
      oneThreadMsPerBatch64: plain['msPerBatch64'], threadedMsPerBatch64: ms, threaded: isolated['backendDetail'],
      ratio: Number(((plain['msPerBatch64'] as number) / ms).toFixed(2)),
      ...(model === 'dcgan' ? { targetMsPerBatch64: 300, meetsTarget: ms <= 300 } : {}),
    };
  }
  return Object.keys(speedup).length > 0 ? speedup : undefined;
}

/**
 * Per page (backend, isolation, WebGPU kernels): the DCGAN's ms per batch of 64 with its upsample + conv pairs as
 * written over the same with them folded into sub-pixel convolutions, same run, same page setup.
 */
function subPixelSpeedup(): Record<string, unknown>[] {
  const timed = results.filter((r) => r['model'] === 'dcgan' && typeof r['msPerBatch64'] === 'number');
  return timed
    .filter((r) => r['upsampleConv'] === 'subpixel')
    .flatMap((folded) => {
      const direct = timed.find((r) => r['upsampleConv'] === 'direct' && r['backend'] === folded['backend'] &&
        r['crossOriginIsolated'] === folded['crossOriginIsolated'] && r['webgpuKernels'] === folded['webgpuKernels']);
      if (!direct) return [];
      const ms = folded['msPerBatch64'] as number;
      return [{
        backend: folded['backend'], backendDetail: folded['backendDetail'], directMsPerBatch64: direct['msPerBatch64'], subPixelMsPerBatch64: ms,
        ratio: Number(((direct['msPerBatch64'] as number) / ms).toFixed(2)),
        ...(folded['backend'] === 'wasm' ? { targetMsPerBatch64: 300, meetsTarget: ms <= 300 } : {}),
      }];
    });
}

const speedup = wasmThreadSpeedup();
const subPixel = subPixelSpeedup();
const report = {
  benchmark: '@forger/sampler-web browser sampling',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
  browser: `${browser.version()} headless (Debian chromium), --enable-unsafe-webgpu`,
  webgpuAdapter: adapter,
  batch,
  results,
  ...(speedup ? { wasmThreadSpeedup: speedup } : {}),
  ...(subPixel.length > 0 ? { dcganSubPixelSpeedup: subPixel } : {}),
};
const out = join(root, 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'sampler-web.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
