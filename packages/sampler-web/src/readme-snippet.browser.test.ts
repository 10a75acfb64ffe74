// The README's embedding snippet, served exactly as written next to the built
// bundle, the .wasm files and a checkpoint: if a user can copy it, it must draw.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dcganSpec, launchChromium, makeCheckpoint, serveStatic, watchPage, type StaticServer } from './test-support/index.js';
import type { Browser } from 'playwright-core';
import { expectReadmeDigitGrid } from './test-support/readme-grid.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const built = existsSync(join(dist, 'forger-sampler.js'));

/** The ```html block between the embed-snippet markers. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- embed-snippet:start -->\s*```html\n([\s\S]*?)```\s*<!-- embed-snippet:end -->/.exec(readme);
  if (!match) throw new Error('README.md has no ```html block between the embed-snippet markers');
  return match[1]!;
}

let server: StaticServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.skipIf(!built)('README embedding snippet', () => {
  it('draws a 4×4 grid of generated digits when served as-is', async () => {
    const snippet = readmeSnippet();
    const checkpoint = /Sampler\.load\('\.\/([^']+)'\)/.exec(snippet)?.[1];
    expect(checkpoint, 'the snippet loads a checkpoint by relative URL').toBeDefined();
    server = await serveStatic([dist], {
      '/index.html': { contentType: 'text/html; charset=utf-8', body: snippet },
      [`/${checkpoint}`]: { contentType: 'application/octet-stream', body: await makeCheckpoint(dcganSpec(), { seed: 4, webDType: 'float16' }) },
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    const watch = watchPage(page);
    await page.goto(server.url);
    await expectReadmeDigitGrid(page, 30_000);
    expect(watch.errors).toEqual([]);
  });
});
