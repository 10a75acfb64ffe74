// Sampler.load's AbortSignal in chromium, on the built bundle (dist/forger-sampler.js; `pnpm build` first): an abort at
// any stage of a load (download, backend start, weight upload) rejects with SamplerError 'aborted' carrying
// the signal's reason, frees every tensor and the backend the load started, and leaves other samplers and later loads
// working.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBuilt as built, bundleTestPage, dcganSpec, makeCheckpoint, openBundlePage, vanillaSpec, type BundlePage } from './test-support/index.js';

const testPage = bundleTestPage('load abort test', `
    // A signal that aborts itself on the k-th time a load reads signal.aborted: a load checks the signal exactly
    // there, so k = 1, 2, … aborts the load at each of its checks in turn, without guessing at timings.
    window.abortOnCheck = (k) => {
      const controller = new AbortController();
      let reads = 0;
      const signal = new Proxy(controller.signal, {
        get(target, prop) {
          if (prop === 'aborted' && ++reads === k) controller.abort(new Error('abort at check ' + k));
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return signal;
    };`);

/** What one aborted (or finished) load left behind, as the page sees it. */
interface Outcome {
  code: string;
  message: string;
  cause: string;
  numTensors: number;
  runningBackends: string[];
}

let opened: BundlePage | undefined;
let page: Page;
let watch: { errors: string[] };
let adapter: string | null = null;
const server = (): BundlePage['server'] => opened!.server;

beforeAll(async () => {
  if (!built) return;
  const [dcgan, vanilla] = await Promise.all([
    makeCheckpoint(dcganSpec(), { seed: 2, webDType: 'float16' }),
    makeCheckpoint(vanillaSpec(), { seed: 1, webDType: 'float16' }),
  ]);
  const binary = 'application/octet-stream';
  opened = await openBundlePage(
    { '/test.html': testPage, '/dcgan.forger': { contentType: binary, body: dcgan }, '/vanilla.forger': { contentType: binary, body: vanilla } },
    // A checkpoint whose server never answers: its load is surely still downloading when it is aborted.
    { beforeGoto: (p) => p.route('**/stalled.forger', () => undefined) },
  );
  ({ page, watch, adapter } = opened);
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

/** Loads `url` on `backend` with the signal abortOnCheck(k) makes; reports how it ended and what the engine holds. */
function loadAbortingAt(url: string, backend: string, k: number): Promise<Outcome> {
  return page.evaluate(
    async ([u, b, n]) => {
      const w = window as unknown as { forger: typeof import('./index.js'); abortOnCheck(k: number): AbortSignal };
      const { Sampler, engineMemory } = w.forger;
      let code = 'loaded';
      let message = '';
      let cause = '';
      try {
        const s = await Sampler.load(u, { backend: b as 'wasm', signal: w.abortOnCheck(n) });
        await s.sample({ count: 2, seed: 1 });
        s.dispose();
      } catch (e) {
        const err = e as Error & { code?: string };
        code = err.code ?? err.name;
        message = err.message;
        cause = err.cause instanceof Error ? err.cause.message : String(err.cause);
      }
      const { numTensors, runningBackends } = engineMemory();
      return { code, message, cause, numTensors, runningBackends: [...runningBackends] };
    },
    [url, backend, k] as const,
  );
}

describe.skipIf(!built)('Sampler.load with an AbortSignal in chromium', () => {
  it('an abort during a slow download rejects with the typed error, and the next load samples the model fine', async () => {
    const result = await page.evaluate(async () => {
      const { Sampler, SamplerError, engineMemory } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const controller = new AbortController();
      const reason = new Error('the visitor chose another model');
      setTimeout(() => controller.abort(reason), 300);
      const error = (await Sampler.load('/stalled.forger', { backend: 'wasm', signal: controller.signal }).then(
        () => undefined,
        (e: unknown) => e,
      )) as (Error & { code?: string }) | undefined;
      const afterAbort = engineMemory();
      const next = await Sampler.load('/dcgan.forger', { backend: 'wasm' });
      const { images } = await next.sample({ count: 4, seed: 3 });
      const distinct = new Set(images.map((im) => Array.from(im.data).join(','))).size;
      next.dispose();
      return {
        isSamplerError: error instanceof SamplerError,
        code: error?.code,
        message: error?.message,
        causeIsReason: error?.cause === reason,
        afterAbort: { numTensors: afterAbort.numTensors, runningBackends: [...afterAbort.runningBackends] },
        next: { count: images.length, distinct, width: images[0]!.width },
      };
    });
    // Without the signal this load would wait for its 30 s timeout and end as 'timeout'.
    expect(result).toMatchObject({ isSamplerError: true, code: 'aborted', causeIsReason: true });
    expect(result.message).toMatch(/^loading http:\/\/127\.0\.0\.1:\d+\/stalled\.forger was aborted while downloading$/);
    expect(result.afterAbort.runningBackends).toEqual([]); // it never got as far as starting one
    expect(result.next).toEqual({ count: 4, distinct: 4, width: 28 });
    expect(watch.errors).toEqual([]);
  });

  it('an already-aborted signal rejects at once: nothing is requested', async () => {
    const before = server().requests.length;
    const outcome = await page.evaluate(async () => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      return Sampler.load('/dcgan.forger', { signal: AbortSignal.abort('gone') }).then(
        () => 'loaded',
        (e: Error & { code?: string }) => `${e.code}: ${e.message} (cause ${String(e.cause)})`,
      );
    });
    expect(outcome).toBe('aborted: loading /dcgan.forger was aborted before it started (cause gone)');
    expect(server().requests.slice(before)).toEqual([]);
  });

  it('an abort at each check in turn, up to the last, rejects and frees everything; then a load finishes', async () => {
    const baseline = await page.evaluate(() => (window as unknown as { forger: typeof import('./index.js') }).forger.engineMemory().numTensors);
    const stages: string[] = [];
    let k = 1;
    for (; k <= 40; k++) {
      const outcome = await loadAbortingAt('/dcgan.forger', 'wasm', k);
      if (outcome.code === 'loaded') break;
      expect(outcome).toMatchObject({ code: 'aborted', cause: `abort at check ${k}`, numTensors: baseline });
      expect(outcome.runningBackends).toEqual([]); // the WASM backend this load started was torn down again
      stages.push(outcome.message.replace(/^loading \S+ was aborted /, ''));
    }
    console.info(`load-abort: a DCGAN load on WASM checks its signal ${k - 1} times: ${JSON.stringify(stages)}`);
    expect(k).toBeLessThanOrEqual(40); // the load that nothing aborted finished and sampled
    expect(stages).toEqual([
      'before it started',
      'before the download started',
      'before starting the wasm backend',
      'after the wasm backend started',
      'after uploading the weights',
    ]);
  });

  it('an aborted load leaves another sampler on the same backend working, with its backend and its weights', async () => {
    await page.evaluate(async () => {
      const w = window as unknown as { forger: typeof import('./index.js'); keeper: import('./index.js').Sampler; keeperPixels: number[] };
      w.keeper = await w.forger.Sampler.load('/vanilla.forger', { backend: 'wasm' });
      w.keeperPixels = Array.from((await w.keeper.sample({ count: 2, seed: 9 })).images[1]!.data);
    });
    const held = await page.evaluate(() => (window as unknown as { forger: typeof import('./index.js') }).forger.engineMemory().numTensors);
    // Aborted before starting the backend (already running: the keeper's), after it started, and after the upload.
    for (const k of [3, 4, 5]) {
      const outcome = await loadAbortingAt('/dcgan.forger', 'wasm', k);
      expect(outcome).toMatchObject({ code: 'aborted', numTensors: held, runningBackends: ['wasm'] });
    }
    const still = await page.evaluate(async () => {
      const w = window as unknown as { keeper: import('./index.js').Sampler; keeperPixels: number[] };
      const again = Array.from((await w.keeper.sample({ count: 2, seed: 9 })).images[1]!.data);
      w.keeper.dispose();
      return again.every((v, i) => v === w.keeperPixels[i]);
    });
    expect(still).toBe(true);
    expect(watch.errors).toEqual([]);
  });

  it('an abort after a WebGPU start or upload tears down the device it started, and WASM samples after', async (ctx) => {
    if (!adapter) ctx.skip(); // visible as skipped: this chromium gives no WebGPU adapter
    // vanilla: a small dense generator, cheap even on a CPU-emulated adapter. Checks 4 and 5 are the ones after the
    // backend started and after the upload (see the stage list above).
    for (const k of [4, 5]) {
      const outcome = await loadAbortingAt('/vanilla.forger', 'webgpu', k);
      expect(outcome.code).toBe('aborted');
      expect(outcome.runningBackends).not.toContain('webgpu');
    }
    const after = await loadAbortingAt('/dcgan.forger', 'wasm', 1_000);
    expect(after.code).toBe('loaded');
    expect(watch.errors).toEqual([]);
  });
});
