// The built bundle in chromium with a conditional (acgan) checkpoint: sample({ classLabel }) draws that class, the
// info says the model is conditional, and a class asked of an unconditional model is refused with a typed error.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acganSpec, bundleBuilt as built, bundleTestPage, makeCheckpoint, openBundlePage, vanillaSpec, type BundlePage } from './test-support/index.js';

const testPage = bundleTestPage('conditional sampler test');

let opened: BundlePage | undefined;
let page: Page;
let pageWatch: { errors: string[] };

beforeAll(async () => {
  if (!built) return;
  const binary = 'application/octet-stream';
  const digits = acganSpec({ numClasses: 10, classNames: [...'0123456789'] });
  const [acgan, acganFull, vanilla] = await Promise.all([
    makeCheckpoint(digits, { seed: 3, webDType: 'float16' }),
    makeCheckpoint(digits, { seed: 3 }),
    makeCheckpoint(vanillaSpec(), { seed: 1, webDType: 'float16' }),
  ]);
  opened = await openBundlePage({
    '/test.html': testPage,
    '/acgan.forger': { contentType: binary, body: acgan },
    '/acgan-full.forger': { contentType: binary, body: acganFull },
    '/vanilla.forger': { contentType: binary, body: vanilla },
  });
  ({ page, watch: pageWatch } = opened);
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

describe.skipIf(!built)('a conditional model in chromium', () => {
  it('draws the class asked for: same z, another class, another image; the batch says each image\'s class', async () => {
    const result = await page.evaluate(async () => {
      const { Sampler } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const s = await Sampler.load('/acgan.forger', { backend: 'wasm' });
      try {
        const z = s.latent(2, 5);
        const seven = await s.sample({ z, classLabel: 7 });
        const sevenAgain = await s.sample({ z, classLabel: 7 });
        const two = await s.sample({ z, classLabel: 2 });
        const mixed = await s.sample({ z, labels: [2, 7] });
        const cycling = await s.sample({ count: 3, seed: 1 });
        const bad = await s.sample({ count: 1, classLabel: 10 }).then(() => 'sampled', (e: Error & { code?: string }) => `${e.code}: ${e.message}`);
        const full = await Sampler.load('/acgan-full.forger', { backend: 'wasm' });
        const ranked = await full.rank(2, { classLabel: 4, seed: 2 }).then((b) => Array.from(b.labels ?? []), (e: Error & { code?: string }) => e.code);
        full.dispose();
        const bytes = (b: { images: { data: Uint8ClampedArray }[] }, i: number) => Array.from(b.images[i]!.data);
        const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
        return {
          conditional: s.info.conditional,
          classNames: s.info.classNames,
          labels: Array.from(seven.labels ?? []),
          repeatable: same(bytes(seven, 0), bytes(sevenAgain, 0)),
          classChangesImage: !same(bytes(seven, 0), bytes(two, 0)),
          mixedMatches: same(bytes(mixed, 0), bytes(two, 0)) && same(bytes(mixed, 1), bytes(seven, 1)),
          cyclingLabels: Array.from(cycling.labels ?? []),
          bad,
          ranked,
        };
      } finally {
        s.dispose();
      }
    });
    expect(result.conditional).toBe(true);
    expect(result.classNames).toEqual([...'0123456789']);
    expect(result.labels).toEqual([7, 7]);
    expect(result.repeatable).toBe(true);
    expect(result.classChangesImage).toBe(true);
    expect(result.mixedMatches).toBe(true);
    expect(result.cyclingLabels).toEqual([0, 1, 2]);
    expect(result.bad).toBe("invalid-argument: class 10 is not one of the model's classes 0–9");
    expect(result.ranked).toEqual([4, 4]); // rank() keeps the best of 4 × 2 images, all of class 4
    expect(pageWatch.errors).toEqual([]);
  });

  it('refuses a class on an unconditional model with SamplerError not-conditional', async () => {
    const result = await page.evaluate(async () => {
      const { Sampler, SamplerError } = (window as unknown as { forger: typeof import('./index.js') }).forger;
      const s = await Sampler.load('/vanilla.forger', { backend: 'wasm' });
      try {
        return await s.sample({ count: 1, classLabel: 3 }).then(
          () => ({ conditional: s.info.conditional, error: 'none' }),
          (e: Error & { code?: string }) => ({ conditional: s.info.conditional, error: `${e instanceof SamplerError}: ${e.code}: ${e.message}` }),
        );
      } finally {
        s.dispose();
      }
    });
    expect(result.conditional).toBe(false);
    expect(result.error).toBe('true: not-conditional: this vanilla generator is unconditional: it draws no given class, so classLabel cannot apply');
  });
});
