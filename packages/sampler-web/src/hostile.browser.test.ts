// Issue 18 in the browser: hostile checkpoints through the built bundle in chromium. Every file of the corpus ends in
// finite images or a one-line typed error within 5 s, and whatever failed, the page still samples a valid model
// afterwards; an engine that traps (WASM out of bounds / Aborted()) is restarted instead of poisoning the page.
// Run `pnpm build` first (turbo's test task depends on build).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus, type HostileFile } from '@forger/core/test-support';
import { bundleBuilt as built, bundleTestPage, dcganSpec, makeCheckpoint, openBundlePage, type BundlePage, type Route } from './test-support/index.js';

const testPage = bundleTestPage('hostile files');

/** What the page reports for one file: images and whether every pixel byte came back, or the error's parts. */
interface Outcome {
  ok: boolean;
  name: string;
  code: string;
  message: string;
  images: number;
  milliseconds: number;
}

let opened: BundlePage | undefined;
let page: Page;
let pageWatch: { errors: string[] };
let corpus: HostileFile[] = [];

beforeAll(async () => {
  if (!built) return;
  corpus = hostileCorpus();
  const binary = 'application/octet-stream';
  const routes: Record<string, Route> = {
    '/test.html': testPage,
    '/valid-dcgan.forger': { contentType: binary, body: await makeCheckpoint(dcganSpec(), { seed: 2, webDType: 'float16' }) },
  };
  for (const f of corpus) routes[`/corpus/${f.name}.forger`] = { contentType: binary, body: f.bytes };
  opened = await openBundlePage(routes);
  ({ page, watch: pageWatch } = opened);
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

/** Load and sample one file on WASM, the way the demo does; an error is reduced to its name, code and message. */
const attempt = (url: string, count = 4): Promise<Outcome> =>
  page.evaluate(
    async ([u, n]) => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const started = performance.now();
      try {
        const s = await Sampler.load(u, { backend: 'wasm' });
        try {
          const batch = await s.sample({ count: n, seed: 5 });
          const complete = batch.images.every((im) => im.data.length === im.width * im.height * 4);
          return { ok: complete, name: '', code: '', message: '', images: batch.images.length, milliseconds: performance.now() - started };
        } finally {
          s.dispose();
        }
      } catch (e) {
        const err = e as Error & { code?: string };
        return { ok: false, name: err.name, code: err.code ?? '', message: err.message, images: 0, milliseconds: performance.now() - started };
      }
    },
    [url, count] as const,
  );

describe.skipIf(!built)('hostile checkpoints in chromium (issue 18)', () => {
  it('a sampler whose engine traps is restarted: the failed sample is a typed error, and the page samples again', async () => {
    const result = await page.evaluate(async () => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const older = await Sampler.load('/valid-dcgan.forger', { backend: 'wasm' });
      const victim = await Sampler.load('/corpus/valid-vanilla.forger', { backend: 'wasm' });
      // Force the fault the ×65535 upsample used to cause: tfjs-core keeps its engine on the global object, and the
      // wasm backend's next tensor registration now traps the way an out-of-bounds heap access does.
      const engine = (window as unknown as { _tfengine: { registry: Record<string, { wasm: { tfjs: Record<string, unknown> } }> } })._tfengine;
      engine.registry['wasm']!.wasm.tfjs['registerTensor'] = () => {
        throw new WebAssembly.RuntimeError('memory access out of bounds');
      };
      const failure = await victim.sample({ count: 2, seed: 1 }).then(
        () => ({ name: 'none', code: '', message: '' }),
        (e: Error & { code?: string }) => ({ name: e.name, code: e.code ?? '', message: e.message }),
      );
      // The older sampler's weights lived on the dead engine: it says so instead of trapping.
      const stale = await older.sample({ count: 1, seed: 1 }).then(
        () => 'sampled',
        (e: Error & { code?: string }) => e.code ?? e.message,
      );
      older.dispose();
      victim.dispose();
      const fresh = await Sampler.load('/valid-dcgan.forger', { backend: 'wasm' });
      const batch = await fresh.sample({ count: 3, seed: 2 });
      const varied = batch.images.some((im) => im.data.some((v, i) => i % 4 === 0 && v !== im.data[0]));
      fresh.dispose();
      return { failure, stale, images: batch.images.length, varied };
    });
    expect(result.failure.name).toBe('SamplerError');
    expect(result.failure.code).toBe('engine-failed');
    expect(result.failure.message).toMatch(/^the wasm engine failed while sampling \(RuntimeError: memory access out of bounds\); it was restarted/);
    expect(result.stale).toBe('backend-restarted');
    expect(result.images).toBe(3);
    expect(result.varied).toBe(true);
  }, 60_000);

  it('every corpus file ends in images or a one-line typed error within 5 s, and the page samples a valid model after', async () => {
    const seen: string[] = [];
    for (const file of corpus) {
      const r = await attempt(`/corpus/${file.name}.forger`);
      seen.push(`${file.name}: ${r.ok ? `${r.images} images` : `${r.name}(${r.code}) ${r.message}`} in ${Math.round(r.milliseconds)} ms`);
      expect(r.milliseconds, file.name).toBeLessThan(5000);
      if (file.outcome === 'image') {
        expect(r, file.name).toMatchObject({ ok: true, images: 4 });
      } else {
        expect(['CheckpointError', 'SamplerError'], `${file.name}: ${r.name}: ${r.message}`).toContain(r.name);
        expect(r.message, file.name).not.toContain('\n');
        if (file.message) expect(r.message, file.name).toMatch(file.message);
      }
    }
    console.info(seen.join('\n'));
    const after = await attempt('/valid-dcgan.forger', 8);
    expect(after).toMatchObject({ ok: true, images: 8 });
    expect(pageWatch.errors).toEqual([]);
  }, 120_000);
});
