import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { captureIo } from '../test-support/capture-io.js';
import { launchChromium, watchPage } from '../test-support/chromium.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
/**
 * FORGER_REPORT_RUN: report on this run folder instead of a tiny fresh one (the README's screenshot is of a
 * 300-step run); FORGER_REPORT_SCREENSHOT: where to copy the screenshot (docs/report-screenshot.png for the README).
 */
const givenRun = process.env.FORGER_REPORT_RUN;
const screenshotCopy = process.env.FORGER_REPORT_SCREENSHOT;

describe('report.html in chromium', () => {
  let folder: string;
  let browser: Browser;
  beforeAll(async () => {
    // 6 steps, a metrics line every step, a grid every 2: curves with points, three grids and final.png to scrub
    folder = givenRun !== undefined ? resolve(givenRun) : (await tinyVanillaRun(['--steps', '6', '--log-every', '1', '--sample-every', '2', '--checkpoint-every', '3'])).folder;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (givenRun === undefined && folder) await rm(folder, { recursive: true, force: true });
  });

  it('forger report writes it; it opens from file:// offline with curves drawn, a grid strip that scrubs and plays, and no errors', async () => {
    const io = captureIo();
    expect(await runCli(['report', folder], io)).toBe(0);
    const path = join(folder, 'report.html');
    expect(io.out().trim()).toBe(path);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const watch = watchPage(page);
    await page.goto(pathToFileURL(path).href);
    await page.waitForSelector('.chart canvas');

    // every chart's canvas has pixels in its series' colours, not only axes: the curves are drawn
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('.chart')].map((chart) => {
        const canvas = chart.querySelector('canvas')!;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
          if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++; // grey axes and text are left out
        }
        return { title: (chart as HTMLElement).dataset['title'], width: canvas.width, coloured };
      }),
    );
    expect(charts.map((c) => c.title)).toEqual(expect.arrayContaining(['Losses', 'Discriminator outputs: D(x), D(G(z)), accuracy', 'Throughput']));
    for (const chart of charts) expect(chart.coloured, `${chart.title}: coloured pixels`).toBeGreaterThan(50);

    // the scrubber: the last grid (final.png) first, another one after moving the range input
    const grid = page.locator('#grid-image');
    const label = page.locator('#grid-label');
    const lastSrc = await grid.getAttribute('src');
    expect(lastSrc).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => label.textContent()).toMatch(/^final/);
    const screenshot = join(packageRoot, 'test-artifacts', 'report-screenshot.png');
    await mkdir(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.locator('#grid-scrub').fill('0');
    expect(await label.textContent()).toMatch(/^step \d+ \(1 of \d+\)$/);
    const firstSrc = await grid.getAttribute('src');
    expect(firstSrc).not.toBe(lastSrc);
    // the first and last grids differ in what they show, not only in their data: URI
    expect(await grid.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // play steps through the grids from the first
    await page.locator('#grid-play').click();
    await expect.poll(() => page.locator('#grid-scrub').inputValue(), { timeout: 5000 }).not.toBe('0');

    expect(watch.errors).toEqual([]);
    // nothing but the file itself (and its data: images) was requested: it needs no network
    expect(watch.requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    if (screenshotCopy !== undefined) await copyFile(screenshot, resolve(process.cwd(), screenshotCopy));
    await page.close();
    expect((await readFile(path, 'utf8')).length).toBeGreaterThan(50_000); // uPlot is inline
  });
});
