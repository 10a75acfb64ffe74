// End-to-end tests of the built demo (apps/demo/dist, `pnpm build` first; turbo's
// test task depends on build) in Debian's headless chromium on 127.0.0.1.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveStatic, watchPage, webGpuAdapter, type StaticServer } from '@forger/sampler-web/test-support';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(appRoot, 'dist');
const built = existsSync(join(dist, 'index.html'));
const trainerCli = join(appRoot, '../../packages/trainer-node/dist/cli/main.js');
const artifacts = join(appRoot, 'test-artifacts');

// Same seed on WASM and WebGPU: the kernels differ in summation order only, so a
// pixel may round to the neighbouring byte. Measured with SwiftShader: max 1/255.
const backendTolerance = 2; // of 255

let server: StaticServer;
let browser: Browser;
let page: Page;
let watch: { errors: string[] };
let adapter: string | null = null;

beforeAll(async () => {
  if (!built) return;
  server = await serveStatic([dist]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  watch = watchPage(page);
  await page.goto(server.url);
  adapter = await webGpuAdapter(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits until the sample grid shows this render (or a later one) and returns its count. */
async function gridRendered(after: number, attrs: Record<string, string> = {}): Promise<number> {
  const selector = Object.entries(attrs).map(([k, v]) => `[data-${k}="${v}"]`).join('');
  try {
    await page.waitForFunction(
      ([sel, n]) => {
        const grid = document.querySelector<HTMLCanvasElement>(`#samples-grid${sel}`);
        return grid !== null && Number(grid.dataset.renders) > n;
      },
      [selector, after] as const,
      { timeout: 45_000 },
    );
  } catch (error) {
    // Say what the page showed instead, so a failure on a loaded CI machine is readable.
    const shown = await page.evaluate(() => ({
      grid: { ...document.querySelector<HTMLElement>('#samples-grid')!.dataset },
      status: document.getElementById('status')!.textContent,
      error: document.getElementById('error')!.hidden ? null : document.getElementById('error')!.textContent,
    }));
    throw new Error(`the grid never showed render > ${after} with ${selector}; the page shows ${JSON.stringify(shown)}`, { cause: error });
  }
  return renders();
}

const renders = () => page.$eval('#samples-grid', (el) => Number((el as HTMLCanvasElement).dataset.renders ?? 0));

/** The grid's 64 tiles: each tile's pixel std, plus the raw red channel (the digits are gray). */
function readGrid(): Promise<{ stds: number[]; distinctTiles: number; red: number[] }> {
  return page.$eval('#samples-grid', (el) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const tile = 28;
    const stds: number[] = [];
    const signatures = new Set<string>();
    for (let row = 0; row < 8; row++) {
      for (let col = 0; col < 8; col++) {
        const values: number[] = [];
        for (let y = 0; y < tile; y++) {
          for (let x = 0; x < tile; x++) values.push(data[((row * (tile + 1) + y) * canvas.width + col * (tile + 1) + x) * 4]!);
        }
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        stds.push(Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length));
        signatures.add(values.join(','));
      }
    }
    const red: number[] = [];
    for (let i = 0; i < data.length; i += 4) red.push(data[i]!);
    return { stds, distinctTiles: signatures.size, red };
  });
}

async function chooseModel(id: string): Promise<void> {
  await page.selectOption('#model', id);
}

async function chooseBackend(name: 'auto' | 'webgpu' | 'wasm'): Promise<void> {
  await page.check(`input[name="backend"][value="${name}"]`);
}

describe.skipIf(!built)('demo site', () => {
  it('opens on the bundled DCGAN and fills all panels: 64 digits that are neither blank nor identical', async () => {
    await gridRendered(0, { model: 'dcgan', seed: '7' });
    const grid = await readGrid();
    expect(Math.min(...grid.stds)).toBeGreaterThan(1);
    expect(grid.distinctTiles).toBe(64);
    await page.waitForSelector('#interp-strip[data-renders]');
    await page.waitForSelector('#arith-result[data-renders]');
    expect(await page.getAttribute('body', 'data-status')).toBe('ready');
    expect(await page.textContent('#timing')).toMatch(/ms \/ batch of 64/);
  });

  it('generates with WASM and with WebGPU, and both agree for the same seed', async (ctx) => {
    // Read the render count before acting: a 2 ms vanilla batch can finish before the next line runs.
    let n = await renders();
    await chooseModel('vanilla');
    await chooseBackend('wasm');
    n = await gridRendered(n, { model: 'vanilla', backend: 'wasm', seed: '7' });
    const wasm = await readGrid();
    expect(wasm.distinctTiles).toBe(64);
    if (!adapter) ctx.skip(); // visible as skipped: this chromium gives no WebGPU adapter
    n = await renders();
    await chooseBackend('webgpu');
    n = await gridRendered(n, { model: 'vanilla', backend: 'webgpu', seed: '7' });
    const gpu = await readGrid();
    const diffs = gpu.red.map((v, i) => Math.abs(v - wasm.red[i]!));
    const maxDiff = Math.max(...diffs);
    console.info(`demo, vanilla, seed 7, 64 images: WebGPU (${adapter}) vs WASM max |Δ| = ${maxDiff}/255, mean ${(diffs.reduce((a, b) => a + b, 0) / diffs.length).toFixed(4)}`);
    expect(maxDiff).toBeLessThanOrEqual(backendTolerance);
    n = await renders();
    await chooseBackend('wasm');
    await gridRendered(n, { backend: 'wasm' });
  });

  it('shows a readable error for a corrupt checkpoint and keeps working', async () => {
    const shownBefore = await page.$eval('#model', (el) => (el as HTMLSelectElement).value);
    const good = readFileSync(join(dist, 'checkpoints/mnist-vanilla.forger'));
    await page.setInputFiles('#file', { name: 'broken.forger', mimeType: 'application/octet-stream', buffer: good.subarray(0, good.length - 5000) });
    await page.waitForSelector('#error:not([hidden])');
    const message = await page.textContent('#error');
    expect(message).toContain('broken.forger');
    expect(message).toMatch(/CheckpointError \([a-z-]+\): .{20,}/);
    expect(await page.$eval('#model', (el) => (el as HTMLSelectElement).value)).toBe(shownBefore);
    // Still alive: new samples come from the model that was loaded before.
    const n = await renders();
    await page.click('#resample');
    await gridRendered(n);
    expect(watch.errors).toEqual([]);
  });

  it('loads and samples a checkpoint written by `forger train` in this run (the handoff)', async (ctx) => {
    if (!existsSync(trainerCli)) ctx.skip(); // visible: build @forger/trainer-node first
    const out = mkdtempSync(join(tmpdir(), 'forger-handoff-'));
    try {
      await promisify(execFile)(
        process.execPath,
        [trainerCli, 'train', '--model', 'vanilla', '--steps', '3', '--batch-size', '8', '--backend', 'cpu', '--quiet', '--out', out],
        { timeout: 60_000 },
      );
      // The full checkpoint carries the discriminator, so the "nice" toggle appears.
      const n = await renders();
      await page.setInputFiles('#file', join(out, 'final.forger'));
      await gridRendered(n, { model: 'vanilla' });
      expect(await page.isVisible('#nice-toggle')).toBe(true);
      expect(await page.textContent('#model-info')).toContain('with discriminator');
      const m = await renders();
      await page.check('#nice');
      await gridRendered(m, { nice: 'true' });
      expect((await readGrid()).distinctTiles).toBe(64);
      // Its web export (generator only, float16) loads too, without the toggle.
      const k = await renders();
      await page.setInputFiles('#file', join(out, 'final.web.forger'));
      await gridRendered(k, { nice: 'false' });
      expect(await page.isVisible('#nice-toggle')).toBe(false);
      expect(await page.isHidden('#error')).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('keeps a screenshot of the demo as a test artifact', async () => {
    const panelRenders = () =>
      page.evaluate(() => ['#interp-strip', '#arith-result'].map((id) => Number(document.querySelector<HTMLElement>(id)!.dataset.renders ?? 0)));
    const n = await renders();
    const [strip, arithmetic] = await panelRenders();
    await chooseModel('vanilla');
    await gridRendered(n, { model: 'vanilla' });
    // Interpolation and arithmetic are queued after the grid: wait until both redrew for this model.
    await page.waitForFunction(
      ([s, a]) => ['#interp-strip', '#arith-result'].every((id, i) => Number(document.querySelector<HTMLElement>(id)!.dataset.renders ?? 0) > [s, a][i]!),
      [strip!, arithmetic!] as const,
      { timeout: 30_000 },
    );
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'demo.png'), fullPage: true });
    expect(existsSync(join(artifacts, 'demo.png'))).toBe(true);
    expect(watch.errors).toEqual([]);
  });
});
