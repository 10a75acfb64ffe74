import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What the README's embedding snippet must show: its 4×4 grid of 28×28 digits drawn on `#digits` (drawGrid resizes
 * the canvas from its 300×150 default once images are drawn), in many grays rather than a blank or flat canvas.
 */
export async function expectReadmeDigitGrid(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(() => (document.getElementById('digits') as HTMLCanvasElement).width === 4 * 28 + 3, null, { timeout: timeoutMs });
  const drawn = await page.evaluate(() => {
    const canvas = document.getElementById('digits') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const values = new Set<number>();
    for (let i = 0; i < data.length; i += 4) values.add(data[i]!);
    return { width: canvas.width, height: canvas.height, distinctGrays: values.size };
  });
  expect(drawn).toEqual({ width: 115, height: 115, distinctGrays: expect.any(Number) });
  expect(drawn.distinctGrays).toBeGreaterThan(20); // digits, not a blank or flat canvas
}
