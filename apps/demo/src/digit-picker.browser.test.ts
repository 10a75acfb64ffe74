// The digit picker of conditional models, end to end in the built demo (apps/demo/dist, `pnpm build` first) in
// Debian's headless chromium: hidden for unconditional models, keyboard-usable with a visible focus ring, and the
// grid draws the digit chosen.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_ISOLATION_HEADERS, launchChromium, serveStatic, watchPage, type StaticServer } from '@forger/sampler-web/test-support';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const built = existsSync(join(dist, 'index.html'));

let server: StaticServer;
let browser: Browser;
let page: Page;
let watch: { errors: string[] };

beforeAll(async () => {
  if (!built) return;
  server = await serveStatic([dist], {}, { headers: CROSS_ORIGIN_ISOLATION_HEADERS });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  watch = watchPage(page);
  await page.goto(server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits for the grid to show `attrs` (data-* values) and returns them with the caption. */
async function gridShows(attrs: Record<string, string>): Promise<void> {
  const selector = Object.entries(attrs).map(([k, v]) => `[data-${k}="${v}"]`).join('');
  await page.waitForSelector(`#samples-grid${selector}`, { state: 'attached', timeout: 45_000 });
}

const pickerHidden = () => page.$eval('#digit-class', (el) => (el as HTMLFieldSetElement).hidden);

/** Waits until the interpolation strip and the arithmetic result were drawn for `classLabel` ('none': unconditional). */
async function panelsShow(classLabel: string): Promise<void> {
  await page.waitForSelector(`#interp-strip[data-class-label="${classLabel}"]`, { state: 'attached', timeout: 45_000 });
  await page.waitForSelector(`#arith-result[data-class-label="${classLabel}"]`, { state: 'attached', timeout: 45_000 });
}

/** The interpolation strip's and the arithmetic result's pixels (red channel: the digits are gray). */
const panelPixels = () =>
  page.evaluate(() =>
    ['interp-strip', 'arith-result'].map((id) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      return Array.from(data.filter((_, i) => i % 4 === 0)).join(',');
    }),
  );

describe.skipIf(!built)('digit picker (conditional models)', () => {
  it('is hidden for an unconditional model and appears, with one choice per digit, for the conditional one', async () => {
    await gridShows({ model: 'dcgan' });
    expect(await pickerHidden()).toBe(true);
    await page.selectOption('#model', 'acgan');
    await gridShows({ model: 'acgan', 'class-label': 'any' });
    expect(await pickerHidden()).toBe(false);
    const choices = await page.$$eval('#digit-class input[type="radio"]', (inputs) => inputs.map((i) => (i.parentElement?.textContent ?? '').trim()));
    expect(choices).toEqual(['Any', ...'0123456789']);
    // Under "Any" the interpolation and the arithmetic hold one class, the first, and say so.
    await panelsShow('0');
    expect(await page.textContent('#interp-class')).toBe('Digit 0 (pick a digit under Samples to change it)');
    expect(await page.textContent('#arith-class')).toBe('Digit 0 (pick a digit under Samples to change it)');
  });

  it('picks a digit with the keyboard alone, with a visible focus ring, and the grid draws that digit', async () => {
    await page.focus('#resample'); // the nice toggle between them is hidden: a web export has no discriminator
    await page.keyboard.press('Tab'); // into the radio group, on the checked "Any"
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('any');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight'); // Any → 0 → … → 7
    await gridShows({ model: 'acgan', 'class-label': '7' });
    const focus = await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      const style = getComputedStyle(input.parentElement!);
      return { value: input.value, checked: input.checked, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(focus).toMatchObject({ value: '7', checked: true, outline: 'solid' });
    expect(focus.width).toBeGreaterThan(0);
    expect(await page.textContent('#grid-caption')).toContain('digit 7');
    expect(watch.errors).toEqual([]);
  });

  it('the interpolation and the arithmetic draw the digit picked, and name it', async () => {
    await panelsShow('7'); // picked in the test before
    const seven = await panelPixels();
    expect(await page.isVisible('#interp-class')).toBe(true);
    expect(await page.textContent('#interp-class')).toBe('Digit 7');
    expect(await page.textContent('#arith-class')).toBe('Digit 7');
    await page.check('#digit-class input[value="2"]');
    await panelsShow('2');
    expect(await page.textContent('#interp-class')).toBe('Digit 2');
    expect(await page.textContent('#arith-class')).toBe('Digit 2');
    // Same seeds, another class: other images in both panels.
    const two = await panelPixels();
    expect(two[0]).not.toBe(seven[0]);
    expect(two[1]).not.toBe(seven[1]);
    expect(watch.errors).toEqual([]);
  });

  it('goes away again on an unconditional model', async () => {
    await page.selectOption('#model', 'vanilla');
    await gridShows({ model: 'vanilla', 'class-label': 'any' });
    expect(await pickerHidden()).toBe(true);
    await panelsShow('none');
    expect(await page.isHidden('#interp-class')).toBe(true);
    expect(await page.isHidden('#arith-class')).toBe(true);
  });
});
