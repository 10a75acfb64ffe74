// `pnpm --filter @forger/demo dev` from a cold start: a fresh Vite dependency cache, the page opened once in
// chromium. Vite must have pre-bundled every dependency the page reaches before it is served, or it discovers one
// at run time (the sampler's WASM and WebGPU kernels are imported lazily), re-optimises, answers the stale import
// with "504 (Outdated Optimize Dep)" and reloads the page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium, watchPage } from '@forger/sampler-web/test-support';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = mkdtempSync(join(tmpdir(), 'forger-vite-cache-'));

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('the demo dev server', () => {
  it('draws a grid on a cold start: no 504, no reload, no page error', { timeout: 240_000 }, async () => {
    server = await createServer({
      root: appRoot,
      configFile: join(appRoot, 'vite.config.ts'),
      cacheDir,
      logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    const url = server.resolvedUrls!.local[0]!;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
    const watch = watchPage(page);
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    const start = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#samples-grid')?.dataset.renders ?? 0) > 0, null, { timeout: 180_000 });
    console.info(`demo dev server, cold cache: first grid after ${Date.now() - start} ms, ${navigations} navigation(s)`);
    expect(failed).toEqual([]);
    expect(navigations).toBe(1);
    expect(watch.errors).toEqual([]);
    expect(await page.getAttribute('body', 'data-status')).toBe('ready');
    // the dev server sends COOP + COEP (vite.config.ts): SharedArrayBuffer, so WASM threads
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // … and the sampler, served through Vite's pre-bundled dependencies, starts the threaded build where it runs WASM
    const status = await page.evaluate(() => ({ text: document.getElementById('status')!.textContent, detail: document.getElementById('status')!.title }));
    console.info(`demo dev server: ${status.text} (${status.detail.split('\n')[0]})`);
    if (status.text?.endsWith('WASM')) expect(status.detail).toMatch(/^SIMD, threaded build, \d+ threads?/);
  });
});
