// End-to-end: the built bundle (dist/forger-sampler.js, what a <script type="module">
// page imports) in Debian's headless chromium, served from 127.0.0.1. Run `pnpm build`
// first (turbo's test task depends on build).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CROSS_ORIGIN_ISOLATION_HEADERS, bundleBuilt as built, bundleFolder as dist, bundleTestPage, dcganSpec, improvedGanSpec, makeCheckpoint, openBundlePage, serveStatic, ssganSpec,
  vanillaSpec, type BundlePage, type StaticServer,
} from './test-support/index.js';

// Same z on WASM and WebGPU: float32 kernels differ only in summation order, so
// pixels may round to a neighbouring byte. Measured on SwiftShader: max 1/255.
const backendTolerance = 2; // of 255

// The page imports the bundle the way a user's page would; tests then reach it as window.forger.
const testPage = bundleTestPage('sampler test');
const bundleLoaded = (p: Page) => p.waitForFunction(() => 'forger' in window);

/** Summary statistics the page computes over a batch, so only numbers cross the wire. */
interface BatchStats {
  backend: string;
  count: number;
  width: number;
  height: number;
  /** Mean over images of each image's pixel standard deviation (0 for a blank image). */
  meanStd: number;
  /** Smallest mean absolute difference between consecutive images (0 if two are identical). */
  minPairDiff: number;
  pixels: number[];
}

let opened: BundlePage | undefined;
let server: StaticServer;
let browser: Browser;
let page: Page;
let pageWatch: { errors: string[] };
let adapter: string | null = null;

beforeAll(async () => {
  if (!built) return;
  const [vanillaFull, dcganF16, dcganInt8, improvedF16, ssganF16] = await Promise.all([
    makeCheckpoint(vanillaSpec(), { seed: 1 }),
    makeCheckpoint(dcganSpec(), { seed: 2, webDType: 'float16' }),
    makeCheckpoint(dcganSpec(), { seed: 2, webDType: 'int8' }),
    makeCheckpoint(improvedGanSpec(), { seed: 4, webDType: 'float16' }),
    makeCheckpoint(ssganSpec(), { seed: 5, webDType: 'float16' }),
  ]);
  const corrupt = dcganF16.slice(0, dcganF16.length - 1000);
  const binary = 'application/octet-stream';
  opened = await openBundlePage({
    '/test.html': testPage,
    '/vanilla-full.forger': { contentType: binary, body: vanillaFull },
    '/dcgan-f16.forger': { contentType: binary, body: dcganF16 },
    '/dcgan-int8.forger': { contentType: binary, body: dcganInt8 },
    '/improved-f16.forger': { contentType: binary, body: improvedF16 },
    '/ssgan-f16.forger': { contentType: binary, body: ssganF16 },
    '/truncated.forger': { contentType: binary, body: corrupt },
    '/page.forger': { contentType: 'text/html; charset=utf-8', body: '<!doctype html><p>Not found, but 200</p>' },
  });
  ({ server, browser, page, watch: pageWatch, adapter } = opened);
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    // One page-side helper: sample, then reduce the batch to the numbers the tests assert on.
    w.sampleStats = async (url: string, backend: string, seed: number, count: number) => {
      const { Sampler } = w.forger as typeof import('./index.js');
      const s = await Sampler.load(url, { backend: backend as 'wasm' });
      try {
        const { images } = await s.sample({ count, seed });
        const stds = images.map((im) => {
          let sum = 0;
          let sq = 0;
          for (let i = 0; i < im.data.length; i += 4) {
            sum += im.data[i]!;
            sq += im.data[i]! ** 2;
          }
          const n = im.data.length / 4;
          return Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
        });
        let minPairDiff = Infinity;
        for (let k = 1; k < images.length; k++) {
          let d = 0;
          for (let i = 0; i < images[k]!.data.length; i++) d += Math.abs(images[k]!.data[i]! - images[k - 1]!.data[i]!);
          minPairDiff = Math.min(minPairDiff, d / images[k]!.data.length);
        }
        return {
          backend: s.backend,
          count: images.length,
          width: images[0]!.width,
          height: images[0]!.height,
          meanStd: stds.reduce((a, b) => a + b, 0) / stds.length,
          minPairDiff,
          pixels: images.flatMap((im) => Array.from(im.data)),
        };
      } finally {
        s.dispose();
      }
    };
  });
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

const stats = (url: string, backend: string, seed = 3, count = 8): Promise<BatchStats> =>
  page.evaluate(
    ([u, b, s, c]) => (window as unknown as { sampleStats: (...a: unknown[]) => Promise<BatchStats> }).sampleStats(u, b, s, c),
    [url, backend, seed, count] as const,
  );

const failure = (url: string, opts: Record<string, unknown> = {}) =>
  page.evaluate(
    async ([u, o]) => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      try {
        (await Sampler.load(u, o)).dispose();
        return { name: 'none', code: '', message: 'loaded' };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { name: err.name, code: err.code ?? '', message: err.message };
      }
    },
    [url, opts] as const,
  );

describe.skipIf(!built)('sampler-web bundle in chromium', () => {
  it('samples a float16 DCGAN export on WASM: 28×28 digits, not blank, not identical, reproducible by seed', async () => {
    const a = await stats('/dcgan-f16.forger', 'wasm');
    expect(a).toMatchObject({ backend: 'wasm', count: 8, width: 28, height: 28 });
    expect(a.meanStd).toBeGreaterThan(1);
    expect(a.minPairDiff).toBeGreaterThan(0.1);
    const again = await stats('/dcgan-f16.forger', 'wasm');
    expect(again.pixels).toEqual(a.pixels);
    // The binary came from next to the bundle, the default location.
    expect(server.requests.some((p) => /^\/tfjs-backend-wasm(-simd)?\.wasm$/.test(p))).toBe(true);
  });

  it('loads int8 exports and full checkpoints too', async () => {
    const int8 = await stats('/dcgan-int8.forger', 'wasm');
    const f16 = await stats('/dcgan-f16.forger', 'wasm');
    // Same weights, two quantisations: close but not equal.
    const meanDiff = int8.pixels.reduce((s, v, i) => s + Math.abs(v - f16.pixels[i]!), 0) / int8.pixels.length;
    expect(meanDiff).toBeLessThan(8);
    const vanilla = await stats('/vanilla-full.forger', 'wasm');
    expect(vanilla.meanStd).toBeGreaterThan(1);
  });

  it("samples the semi-supervised family's generator-only exports: SSGAN-Tensorflow, and improved-GAN with its weight-normalised output layer", async () => {
    for (const url of ['/improved-f16.forger', '/ssgan-f16.forger']) {
      const s = await stats(url, 'wasm', 3, 4);
      expect(s).toMatchObject({ backend: 'wasm', count: 4, width: 28, height: 28 });
      expect(s.meanStd).toBeGreaterThan(1);
      expect(s.minPairDiff).toBeGreaterThan(0.1);
    }
  });

  it('agrees with WASM on WebGPU for the same z', async (ctx) => {
    if (!adapter) ctx.skip(); // visible as skipped: this chromium gives no WebGPU adapter
    // 4 images: SwiftShader runs the DCGAN at ~0.2 GFLOP/s.
    const gpu = await stats('/dcgan-f16.forger', 'webgpu', 3, 4);
    const cpu = await stats('/dcgan-f16.forger', 'wasm', 3, 4);
    expect(gpu.backend).toBe('webgpu');
    const diffs = gpu.pixels.map((v, i) => Math.abs(v - cpu.pixels[i]!));
    const maxDiff = Math.max(...diffs);
    console.info(`WebGPU (${adapter}) vs WASM, DCGAN f16, 4 images: max |Δ| = ${maxDiff}/255, mean ${(diffs.reduce((a, b) => a + b, 0) / diffs.length).toFixed(4)}`);
    expect(maxDiff).toBeLessThanOrEqual(backendTolerance);
    // …and that WebGPU run was Forger's kernels (@forger/kernels' table): tfjs-core's kernel registry is a page global.
    const registered = await page.evaluate(() => {
      const globals = (window as unknown as { _tfGlobals: Map<string, unknown> })._tfGlobals;
      const registry = globals.get('kernelRegistry') as Map<string, unknown>;
      // Names only Forger registers: @forger/models' layers run conv/product + bias + tanh as one of them where present.
      return ['ForgerConv2D', 'ForgerMatMul'].map((name) => [name, registry.has(`webgpu_${name}`)]);
    });
    expect(Object.fromEntries(registered)).toEqual({ ForgerConv2D: true, ForgerMatMul: true });
  }, 120_000); // SwiftShader compiles every shader on the CPU: ~10 s alone, more when turbo runs suites in parallel

  it('auto picks WebGPU on a hardware adapter, else WASM, and says why', async () => {
    const result = await page.evaluate(async () => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const s = await Sampler.load('/dcgan-f16.forger');
      const out = { backend: s.backend, detail: s.backendDetail, skipped: [...s.skippedBackends] };
      s.dispose();
      return out;
    });
    const hardware = adapter !== null && !/swiftshader/i.test(adapter);
    expect(result.backend).toBe(hardware ? 'webgpu' : 'wasm');
    if (!hardware) expect(result.skipped[0]).toMatch(/^webgpu: /);
  });

  it('ranks with the discriminator of a full checkpoint and refuses on a generator-only export', async () => {
    const result = await page.evaluate(async () => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const full = await Sampler.load('/vanilla-full.forger', { backend: 'wasm' });
      const ranked = await full.rank(5, { oversample: 4, seed: 9 });
      full.dispose();
      const web = await Sampler.load('/dcgan-f16.forger', { backend: 'wasm' });
      const refusal = await web.rank(2).then(
        () => 'ranked',
        (e: Error & { code?: string }) => e.code,
      );
      const labels = await web.sample({ count: 2, labels: [1, 2] }).then(
        () => 'sampled',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
      web.dispose();
      return { count: ranked.images.length, zLength: ranked.z.length, scores: Array.from(ranked.scores ?? []), refusal, labels };
    });
    expect(result.count).toBe(5);
    expect(result.zLength).toBe(5 * 100);
    expect(result.scores).toEqual([...result.scores].sort((a, b) => b - a));
    expect(result.refusal).toBe('no-discriminator');
    expect(result.labels).toMatch(/^not-conditional: this dcgan generator is unconditional/);
  });

  it('rejects a 404, an HTML page and a truncated file with typed, readable errors', async () => {
    const missing = await failure('/nope.forger');
    expect(missing).toMatchObject({ name: 'SamplerError', code: 'http-status' });
    expect(missing.message).toContain('404');
    const html = await failure('/page.forger');
    expect(html).toMatchObject({ name: 'SamplerError', code: 'content-type' });
    const truncated = await failure('/truncated.forger');
    expect(truncated.name).toBe('CheckpointError');
    expect(truncated.message.length).toBeGreaterThan(20);
    expect(pageWatch.errors).toEqual([]);
  });

  it('dispose() frees every tensor and the backend it started', async () => {
    const memory = await page.evaluate(async () => {
      const { Sampler, engineMemory } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const before = engineMemory();
      const s = await Sampler.load('/dcgan-f16.forger', { backend: 'wasm' });
      await s.sample({ count: 4, seed: 1 });
      const loaded = engineMemory();
      s.dispose();
      const after = engineMemory();
      const reuse = await s.sample({ count: 1 }).then(
        () => 'sampled',
        (e: Error & { code?: string }) => e.code,
      );
      return { before, loaded, after, reuse };
    });
    expect(memory.loaded.numTensors).toBeGreaterThan(memory.before.numTensors);
    expect(memory.loaded.runningBackends).toContain('wasm');
    expect(memory.after.numTensors).toBe(memory.before.numTensors);
    expect(memory.after.runningBackends).not.toContain('wasm');
    expect(memory.reuse).toBe('disposed');
  });

  it('dispose() also releases a WebGPU backend and its device', async (ctx) => {
    if (!adapter) ctx.skip();
    const memory = await page.evaluate(async () => {
      const { Sampler, engineMemory } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const s = await Sampler.load('/vanilla-full.forger', { backend: 'webgpu' });
      await s.sample({ count: 2, seed: 1 });
      const loaded = engineMemory();
      s.dispose();
      // A second load must be able to start WebGPU again after the teardown.
      const again = await Sampler.load('/vanilla-full.forger', { backend: 'webgpu' });
      const { images } = await again.sample({ count: 2, seed: 1 });
      again.dispose();
      return { loaded, after: engineMemory(), reloaded: images.length };
    });
    expect(memory.loaded.runningBackends).toContain('webgpu');
    expect(memory.after.runningBackends).not.toContain('webgpu');
    expect(memory.after.numTensors).toBeLessThan(memory.loaded.numTensors);
    expect(memory.reloaded).toBe(2);
  });
});

describe.skipIf(!built)('WASM threads', () => {
  it('a cross-origin-isolated page samples on one thread per core (the threaded SIMD build), the same images as a plain page', async () => {
    // COOP + COEP make the page cross-origin isolated, which unlocks SharedArrayBuffer.
    const routes = {
      '/test.html': testPage,
      '/m.forger': { contentType: 'application/octet-stream' as const, body: await makeCheckpoint(dcganSpec(), { seed: 6, webDType: 'float16' }) },
    };
    const isolatedServer = await serveStatic([dist], routes, { headers: CROSS_ORIGIN_ISOLATION_HEADERS });
    const plainServer = await serveStatic([dist], routes);
    const draw = async (url: string, wasmThreads?: number) => {
      const page = await browser.newPage();
      try {
        await page.goto(`${url}test.html`);
        await bundleLoaded(page);
        return await page.evaluate(async (threads) => {
          const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
          const s = await Sampler.load('/m.forger', { backend: 'wasm', ...(threads === undefined ? {} : { wasmThreads: threads }) });
          const { images } = await s.sample({ count: 4, seed: 1 });
          s.dispose();
          return { isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency, detail: s.backendDetail, pixels: Array.from(images[0]!.data) };
        }, wasmThreads);
      } finally {
        await page.close();
      }
    };
    try {
      const threaded = await draw(isolatedServer.url);
      const oneThread = await draw(isolatedServer.url, 1);
      const plain = await draw(plainServer.url);
      expect(threaded.isolated).toBe(true);
      const cores = Math.min(threaded.cores, 8);
      expect(threaded.detail).toBe(`SIMD, threaded build, ${cores} thread${cores === 1 ? '' : 's'}`);
      expect(isolatedServer.requests).toContain('/tfjs-backend-wasm-threaded-simd.wasm');
      expect(oneThread.detail).toBe('SIMD, tfjs\'s threaded build, 1 thread');
      expect(plain.isolated).toBe(false);
      expect(plain.detail).toBe('SIMD, single-thread build (page not cross-origin isolated), 1 thread');
      // the same DCGAN image, RGBA bytes: the threads split rows, each summed as on one thread (±1 for rounding)
      expect(threaded.pixels).toHaveLength(plain.pixels.length);
      const worst = Math.max(...threaded.pixels.map((v, i) => Math.abs(v - plain.pixels[i]!)));
      expect(worst).toBeLessThanOrEqual(1);
    } finally {
      await isolatedServer.close();
      await plainServer.close();
    }
  }, 120_000);

  it('wasmThreads outside 1 to 8: an invalid-argument SamplerError', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}test.html`);
      await bundleLoaded(page);
      const failure = await page.evaluate(async () => {
        const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
        return Sampler.load('/vanilla-full.forger', { backend: 'wasm', wasmThreads: 9 }).then(() => null, (e: { code?: string; message: string }) => ({ code: e.code, message: e.message }));
      });
      expect(failure).toEqual({ code: 'invalid-argument', message: expect.stringMatching(/wasmThreads must be a whole number from 1 to 8, got 9/) });
    } finally {
      await page.close();
    }
  });
});

describe.skipIf(!built)('wasmPaths', () => {
  it('fetches the binaries from the folder the page names, and fails fast with the path when it is wrong', async () => {
    const wasmServer = await serveStatic([dist], {
      '/test.html': testPage,
      '/m.forger': { contentType: 'application/octet-stream', body: await makeCheckpoint(vanillaSpec(), { seed: 5, webDType: 'float16' }) },
    });
    const isolated = await browser.newPage();
    try {
      // Fresh page per case: tfjs remembers a failed WASM start for the life of the page.
      await isolated.goto(`${wasmServer.url}test.html`);
      await bundleLoaded(isolated);
      const wrong = await isolated.evaluate(async () => {
        const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
        return Sampler.load('/m.forger', { backend: 'wasm', wasmPaths: '/no-such-folder/', backendTimeoutMs: 10_000 }).then(
          () => 'loaded',
          (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
        );
      });
      expect(wrong).toMatch(/^backend-unavailable: .*\/no-such-folder\//);
      await isolated.goto(`${wasmServer.url}test.html`);
      await bundleLoaded(isolated);
      const backend = await isolated.evaluate(async () => {
        const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
        // dist/ is also served at the root, so "/" is a real folder holding the binaries.
        const s = await Sampler.load('/m.forger', { backend: 'wasm', wasmPaths: new URL('/', location.href).href });
        await s.sample({ count: 2, seed: 1 });
        return s.backend;
      });
      expect(backend).toBe('wasm');
      expect(wasmServer.requests).toContain('/no-such-folder/tfjs-backend-wasm-simd.wasm');
    } finally {
      await isolated.close();
      await wasmServer.close();
    }
  });
});
