import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; `npx playwright install` cannot download one here. Same launch as sampler-web's tests. */
export const chromiumPath = process.env.FORGER_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--headless=new'];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** Uncaught exceptions, unhandled rejections and console errors of a page, and every request it made. */
export function watchPage(page: Page): { errors: string[]; requests: string[] } {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('request', (r) => requests.push(r.url()));
  return { errors, requests };
}
