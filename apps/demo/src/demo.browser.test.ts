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
import { CROSS_ORIGIN_ISOLATION_HEADERS, launchChromium, serveStatic, watchPage, webGpuAdapter, type StaticServer } from '@forger/sampler-web/test-support';

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
  server = await serveStatic([dist], {}, { headers: CROSS_ORIGIN_ISOLATION_HEADERS });
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
    // Time to first image, from navigation start.
    expect(await page.textContent('#first-image')).toMatch(/^\d+\.\d s$/);
    expect(Number(await page.getAttribute('#first-image', 'data-ms'))).toBeGreaterThan(0);
    // A favicon, so no load logs a 404 for /favicon.ico.
    const icon = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href)).status);
    expect(icon).toBe(200);
  });

  it('names the WebGPU adapter before it can be chosen, and a CPU emulation as such with its cost', async () => {
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toMatch(/value="webgpu" disabled/); // not pickable before the probe
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[value="webgpu"]')!.dataset.adapter !== undefined);
    const kind = await page.getAttribute('input[value="webgpu"]', 'data-adapter');
    const note = await page.textContent('#webgpu-note');
    if (kind === 'software') {
      expect(note).toMatch(/CPU-emulated \(.*swiftshader.*\): about \d+× slower than WASM, ~\d+ s per DCGAN batch/i);
      expect(await page.isEnabled('input[value="webgpu"]')).toBe(true);
    } else if (kind === 'none') {
      expect(note).toBe('not available in this browser');
      expect(await page.isDisabled('input[value="webgpu"]')).toBe(true);
    } else {
      expect(note).toBe(adapter);
    }
  });

  it('keyboard only: arrowing Auto → WASM through WebGPU starts no WebGPU load and finishes within 5 s', async () => {
    await page.waitForFunction(() => document.body.dataset.status === 'ready');
    const loadsBefore = ((await page.getAttribute('body', 'data-loads')) ?? '').split('|').length;
    await page.focus('input[name="backend"][value="auto"]');
    const n = await renders();
    const start = Date.now();
    while ((await page.$eval('input[name="backend"]:checked', (el) => (el as HTMLInputElement).value)) !== 'wasm') {
      await page.keyboard.press('ArrowRight');
    }
    // Settled: WASM checked, the page ready, the grid drawn on WASM (Auto had already chosen it: nothing to reload).
    await page.waitForFunction(() => document.body.dataset.status === 'ready' && document.querySelector<HTMLElement>('#samples-grid')!.dataset.backend === 'wasm', null, { timeout: 30_000 });
    const elapsed = Date.now() - start;
    const loads = ((await page.getAttribute('body', 'data-loads')) ?? '').split('|').slice(loadsBefore);
    console.info(`demo: keyboard backend change Auto → WASM settled after ${elapsed} ms; loads started: ${JSON.stringify(loads)}`);
    expect(loads.filter((l) => l.endsWith('/webgpu'))).toEqual([]);
    expect(elapsed).toBeLessThan(5000);
    expect(await renders()).toBeGreaterThanOrEqual(n);
  });

  it('a newer model choice aborts an older load that is still running: the new grid appears and the old sampler never does', async () => {
    await page.waitForFunction(() => document.body.dataset.status === 'ready');
    const shown = await page.$eval('#model', (el) => (el as HTMLSelectElement).value);
    const other = shown === 'dcgan' ? 'vanilla' : 'dcgan';
    const otherLabel = other === 'dcgan' ? 'DCGAN' : 'Vanilla';
    // Every model the grid shows from now on.
    await page.evaluate(() => {
      const grid = document.getElementById('samples-grid')!;
      const seen: string[] = [];
      (window as unknown as { seenModels: string[] }).seenModels = seen;
      new MutationObserver(() => seen.push(grid.dataset.model ?? '')).observe(grid, { attributes: true, attributeFilter: ['data-renders'] });
    });
    const loadsBefore = ((await page.getAttribute('body', 'data-loads')) ?? '').split('|').length;
    const n = await renders();
    // The older choice's download never answers: only an abort ends its load before the sampler's 30 s timeout, and
    // the page's queue would hold the newer choice behind it until then.
    const url = other === 'dcgan' ? '**/checkpoints/mnist-dcgan.forger' : '**/checkpoints/mnist-vanilla.forger';
    const aborted: string[] = [];
    page.on('requestfailed', (request) => aborted.push(`${request.url().split('/').pop()}: ${request.failure()?.errorText}`));
    await page.route(url, () => undefined);
    await chooseModel(other);
    await page.waitForFunction((count) => (document.body.dataset.loads ?? '').split('|').length > count, loadsBefore, { timeout: 10_000 });
    const chosenAt = Date.now();
    await chooseModel(shown);
    // Well under the stalled load's 30 s timeout: the newer choice did not wait for it.
    await page.waitForFunction(() => document.body.dataset.status === 'ready', null, { timeout: 20_000 });
    console.info(`demo: ${other} (stalled download) superseded by ${shown}; ready after ${Date.now() - chosenAt} ms`);
    const seen = await page.evaluate(() => (window as unknown as { seenModels: string[] }).seenModels);
    const loads = ((await page.getAttribute('body', 'data-loads')) ?? '').split('|').slice(loadsBefore);
    expect(loads[0]).toMatch(new RegExp(`^${otherLabel}`)); // the older load really started ...
    expect((await page.getAttribute('body', 'data-aborted')) ?? '').toContain(loads[0]!); // ... and was aborted, not left to finish
    expect(aborted.some((line) => /net::ERR_ABORTED/.test(line))).toBe(true); // its download was cancelled
    expect(seen.filter((m) => m !== shown)).toEqual([]); // the superseded model was never drawn
    expect(await page.$eval('#model', (el) => (el as HTMLSelectElement).value)).toBe(shown);
    expect(await renders()).toBeGreaterThanOrEqual(n);
    expect(await page.isHidden('#error')).toBe(true); // a superseded load is not an error for the visitor
    expect(watch.errors).toEqual([]);
    await page.unroute(url);
  });

  it('arrow keys in the model menu do not load every option they pass', async () => {
    await page.waitForFunction(() => document.body.dataset.status === 'ready');
    const before = ((await page.getAttribute('body', 'data-loads')) ?? '').split('|').length;
    const shown = await page.$eval('#model', (el) => (el as HTMLSelectElement).value);
    await page.focus('#model');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => document.body.dataset.status === 'ready');
    const loads = ((await page.getAttribute('body', 'data-loads')) ?? '').split('|').slice(before);
    // Back where it started: at most one load, of the model it rests on.
    expect(await page.$eval('#model', (el) => (el as HTMLSelectElement).value)).toBe(shown);
    expect(loads.length).toBeLessThanOrEqual(1);
    expect(loads.filter((l) => !l.startsWith(shown === 'dcgan' ? 'DCGAN' : 'Vanilla'))).toEqual([]);
  });

  it('picks digits for the arithmetic with the keyboard, and a model switch restores the seeds (no A = B = C)', async () => {
    await page.waitForFunction(() => document.body.dataset.status === 'ready');
    const before = Number((await page.getAttribute('#arith-result', 'data-renders')) ?? 0);
    await page.focus('#samples-grid');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await page.getAttribute('#samples-grid', 'data-cursor')).toBe('9');
    expect(await page.$eval('#grid-cursor', (el) => getComputedStyle(el).display)).toBe('block'); // visible keyboard cursor
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#arith-result')!.dataset.renders ?? 0) > n, before);
    const slotA = () => page.$eval('[data-slot="a"] input', (el) => ({ value: (el as HTMLInputElement).value, placeholder: (el as HTMLInputElement).placeholder }));
    expect(await slotA()).toEqual({ value: '', placeholder: '#10' });
    const n = await renders();
    const current = await page.$eval('#model', (el) => (el as HTMLSelectElement).value);
    await chooseModel(current === 'dcgan' ? 'vanilla' : 'dcgan');
    await gridRendered(n);
    const seeds = await page.$$eval('.slot input', (els) => els.map((el) => [(el as HTMLInputElement).value, (el as HTMLInputElement).placeholder]));
    expect(seeds).toEqual([['11', ''], ['12', ''], ['13', '']]);
  });

  it('keyboard focus is visible on the drop zone and the controls', async () => {
    await page.focus('#seed');
    await page.keyboard.press('Shift+Tab'); // keyboard navigation: :focus-visible applies
    await page.focus('#file');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => document.activeElement?.id);
    expect(focused).toBe('file');
    const ring = await page.$eval('#dropzone', (el) => { const s = getComputedStyle(el); return `${s.outlineStyle} ${s.outlineWidth}`; });
    expect(ring).toBe('solid 3px');
    await page.keyboard.press('Tab');
    const seedRing = await page.evaluate(() => { const s = getComputedStyle(document.activeElement!); return `${s.outlineStyle} ${s.outlineWidth}`; });
    expect(seedRing).toBe('solid 3px');
  });

  it('generates with WASM and with WebGPU, and both agree for the same seed', async (ctx) => {
    // Read the render count before acting: a 2 ms vanilla batch can finish before the next line runs.
    let n = await renders();
    await chooseModel('vanilla');
    await chooseBackend('wasm');
    // The page may already show vanilla on WASM (earlier tests): then there is nothing to reload, and the grid stays.
    n = await gridRendered(n - 1, { model: 'vanilla', backend: 'wasm', seed: '7' });
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
    expect(await page.textContent('#error-title')).toContain('broken.forger');
    // One line a visitor can read; the library's words (protobuf offsets, field names) wait in <details>.
    const message = (await page.textContent('#error-message'))!;
    expect(message).toBe('This is not a complete Forger checkpoint: the file may be truncated, damaged or of another kind.');
    expect(await page.isVisible('#error-details')).toBe(false);
    expect(await page.textContent('#error-details')).toMatch(/CheckpointError \([a-z-]+\): .{20,}/);
    // The page is as it was: same menu entry, no entry naming the broken file, same model card.
    expect(await page.$eval('#model', (el) => (el as HTMLSelectElement).value)).toBe(shownBefore);
    expect(await page.$$eval('#model option', (els) => els.map((o) => o.textContent).join(' '))).not.toContain('broken.forger');
    expect(await page.getAttribute('body', 'data-status')).toBe('ready');
    // Still alive: new samples come from the model that was loaded before.
    const n = await renders();
    await page.click('#resample');
    await gridRendered(n);
    expect(watch.errors).toEqual([]);
  });

  it('after a bad drop, sampling the bundled model works', async () => {
    const good = readFileSync(join(dist, 'checkpoints/mnist-dcgan.forger'));
    await page.setInputFiles('#file', { name: 'cut.forger', mimeType: 'application/octet-stream', buffer: good.subarray(0, 4000) });
    await page.waitForFunction(() => document.getElementById('error-title')!.textContent!.includes('cut.forger'));
    const current = await page.$eval('#model', (el) => (el as HTMLSelectElement).value);
    const other = current === 'dcgan' ? 'vanilla' : 'dcgan';
    const n = await renders();
    await chooseModel(other);
    await gridRendered(n, { model: other === 'dcgan' ? 'dcgan' : 'vanilla' });
    expect((await readGrid()).distinctTiles).toBe(64);
    expect(await page.isHidden('#error')).toBe(true);
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
      expect(await page.textContent('#model-info')).not.toMatch(/(^|[\s(])(\/|~\/|[A-Z]:\\)[^\s]*[\/\\]/); // no build-machine paths
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

describe.skipIf(!built)('demo site on a 390 px phone', () => {
  it('shows a short status line: one line, no API advice', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(server.url);
      await phone.waitForFunction(() => document.body.dataset.status === 'ready', null, { timeout: 60_000 });
      const status = await phone.$eval('#status', (el) => ({ text: el.textContent ?? '', height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) || 16 }));
      expect(status.text).toMatch(/^Ready · (WASM|WebGPU)$/);
      expect(status.height).toBeLessThanOrEqual(status.line * 1.5);
    } finally {
      await phone.close();
    }
  });
});
