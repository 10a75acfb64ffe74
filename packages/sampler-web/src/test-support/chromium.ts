import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; `npx playwright install` cannot download one here. */
export const chromiumPath = process.env.FORGER_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags that keep a headless chromium quiet and offline. `--enable-unsafe-webgpu`
 * exposes WebGPU on Linux; with no GPU, Dawn falls back to SwiftShader (Vulkan
 * on the CPU), which is enough to test correctness, not speed.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--headless=new',
  '--enable-unsafe-webgpu',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * Collects uncaught exceptions, unhandled rejections and console errors, so a
 * test can assert a page stayed clean. Chromium's own "Failed to load resource"
 * line for a 404 is left out: the test that requests a missing file expects it.
 */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console.error: ${m.text()}`);
  });
  return { errors };
}

/** What the WebGPU tests need to know before running: does this chromium hand out an adapter at all? */
export async function webGpuAdapter(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string } } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) return null;
    return `${adapter.info?.vendor ?? '?'} ${adapter.info?.architecture ?? '?'}`;
  });
}
