import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watchPage, webGpuAdapter } from './chromium.js';
import { serveStatic, type Route, type StaticServer } from './static-server.js';

/** The built bundle the browser tests load (dist/forger-sampler.js), and whether `pnpm build` has made it. */
export const bundleFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
export const bundleBuilt = existsSync(join(bundleFolder, 'forger-sampler.js'));

/**
 * A page that imports the bundle the way a user's page would; the tests then reach it as `window.forger`.
 * `script` runs after the import, in the same module (helpers the tests call from page.evaluate).
 */
export function bundleTestPage(title: string, script = ''): Route {
  return {
    contentType: 'text/html',
    body: `<!doctype html><title>${title}</title><body><script type="module">
    import * as forger from '/forger-sampler.js'; window.forger = forger;${script}</script></body>`,
  };
}

/** What a browser test works with: the server, chromium, the page with the bundle loaded, and its WebGPU adapter. */
export interface BundlePage {
  server: StaticServer;
  browser: Browser;
  page: Page;
  /** the page's uncaught errors and console errors so far */
  watch: { errors: string[] };
  /** the adapter's description, or null where the page has no WebGPU */
  adapter: string | null;
  close(): Promise<void>;
}

/**
 * Serves the bundle and `routes` (the test page at /test.html among them) on 127.0.0.1, opens /test.html in
 * chromium, waits for the bundle, and asks for the WebGPU adapter. `beforeGoto` sets the page up first (routes
 * that stall a request, say).
 */
export async function openBundlePage(routes: Record<string, Route>, opts: { beforeGoto?: (page: Page) => Promise<unknown> } = {}): Promise<BundlePage> {
  const server = await serveStatic([bundleFolder], routes);
  const browser = await launchChromium();
  const page = await browser.newPage();
  const watch = watchPage(page);
  await opts.beforeGoto?.(page);
  await page.goto(`${server.url}test.html`);
  await page.waitForFunction(() => 'forger' in window);
  const adapter = await webGpuAdapter(page);
  return {
    server, browser, page, watch, adapter,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
