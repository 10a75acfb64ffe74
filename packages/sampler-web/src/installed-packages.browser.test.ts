// The packages as a user outside this workspace gets them: `pnpm pack` the
// sampler and every workspace package it depends on, `npm install` the
// tarballs into a bare project in the system temp folder, bundle the README's
// embedding snippet with esbuild against what npm installed, and draw a grid in
// chromium. A workspace-only export, a `workspace:` range left in a manifest or
// a file missing from `files` fails here, not on a user's machine.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { dcganSpec, launchChromium, makeCheckpoint, serveStatic, watchPage, type StaticServer } from './test-support/index.js';
import { expectReadmeDigitGrid } from './test-support/readme-grid.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = join(root, '..', '..');
const built = existsSync(join(root, 'dist', 'forger-sampler.js'));

interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  repository?: { type: string; url: string; directory: string };
  exports?: unknown;
  dependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every workspace package by name (the folders pnpm-workspace.yaml lists). */
function workspacePackages(): Map<string, string> {
  const dirs = [join(workspaceRoot, 'proto')];
  for (const parent of ['packages', 'apps', 'tooling']) {
    for (const name of readdirSync(join(workspaceRoot, parent))) dirs.push(join(workspaceRoot, parent, name));
  }
  const byName = new Map<string, string>();
  for (const dir of dirs) if (existsSync(join(dir, 'package.json'))) byName.set(readManifest(dir).name, dir);
  return byName;
}

/** sampler-web and the workspace packages it needs at run time, transitively (core, models, proto, ...). */
function publishedClosure(): string[] {
  const byName = workspacePackages();
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    for (const [dep, range] of Object.entries(readManifest(dir).dependencies ?? {})) {
      if (range.startsWith('workspace:')) visit(byName.get(dep)!);
    }
  };
  visit(root);
  return [...seen];
}

/** The README's embedding snippet: the ```html block between the markers. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- embed-snippet:start -->\s*```html\n([\s\S]*?)```\s*<!-- embed-snippet:end -->/.exec(readme);
  if (!match) throw new Error('README.md has no ```html block between the embed-snippet markers');
  return match[1]!;
}

/** npm, run as a user would: without the npm_config_* variables pnpm sets for its children. */
function npm(args: string[], cwd: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const temp = mkdtempSync(join(tmpdir(), 'forger-installed-'));
let server: StaticServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe.skipIf(!built)('the packed packages, installed with npm outside the workspace', () => {
  it('pack, install, bundle the README snippet with esbuild and draw a grid', { timeout: 600_000 }, async () => {
    // 1. pnpm pack: workspace: ranges become versions, publishConfig.exports replaces exports.
    const tarballs = join(temp, 'tarballs');
    mkdirSync(tarballs);
    const packages = publishedClosure();
    expect(packages.map((dir) => readManifest(dir).name)).toEqual(
      expect.arrayContaining(['@forger/sampler-web', '@forger/core', '@forger/models', '@forger/proto']),
    );
    for (const dir of packages) execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir, stdio: 'pipe' });
    const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
    expect(files).toHaveLength(packages.length);

    // 2. What npm sees in each tarball.
    for (const file of files) {
      const entries = execFileSync('tar', ['tzf', join(tarballs, file)], { encoding: 'utf8' }).split('\n');
      const manifestText = execFileSync('tar', ['xzOf', join(tarballs, file), 'package/package.json'], { encoding: 'utf8' });
      const manifest = JSON.parse(manifestText) as Manifest;
      expect(manifestText, `${file}: no workspace: range`).not.toContain('workspace:');
      expect(JSON.stringify(manifest.exports), `${file}: no workspace-only export condition`).not.toContain('@forger/source');
      expect(JSON.stringify(manifest.exports), `${file}: no test-support export`).not.toContain('test-support');
      expect(manifest).toMatchObject({
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        license: 'Apache-2.0',
        keywords: expect.arrayContaining(['forger']),
        repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\//), directory: expect.any(String) },
      });
      expect(manifest.private, `${file} is publishable`).toBeUndefined();
      expect(entries, `${file} ships its LICENSE`).toContain('package/LICENSE');
      expect(entries.filter((e) => /\.test\.|test-support/.test(e)), `${file}: no tests`).toEqual([]);
    }

    // 3. A bare npm project outside the workspace (nothing above it resolves @forger/*).
    const project = join(temp, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bare', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', ...files.map((f) => join(tarballs, f))], project);
    const installed = join(project, 'node_modules', '@forger');
    expect(readdirSync(installed).sort()).toEqual(packages.map((dir) => readManifest(dir).name.replace('@forger/', '')).sort());

    // Node resolves the installed core through its published exports.
    const nodeCheck = execFileSync(
      'node',
      ['--input-type=module', '-e', "import { crc32 } from '@forger/core'; console.log((crc32(new TextEncoder().encode('123456789')) >>> 0).toString(16))"],
      { cwd: project, encoding: 'utf8' },
    );
    expect(nodeCheck.trim()).toBe('cbf43926'); // the CRC-32 check value

    // 4. The README snippet's module script, importing the package instead of the prebuilt file, bundled by esbuild.
    const snippet = readmeSnippet();
    const script = /<script type="module">([\s\S]*?)<\/script>/.exec(snippet)?.[1];
    expect(script, 'the snippet has a module script').toBeDefined();
    expect(script).toContain("from './forger-sampler.js'");
    const site = join(project, 'site');
    const result = await build({
      stdin: { contents: script!.replace("'./forger-sampler.js'", "'@forger/sampler-web'"), resolveDir: project, loader: 'js' },
      absWorkingDir: project,
      outfile: join(site, 'app.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      logLevel: 'silent',
    });
    const forgerInputs = Object.keys(result.metafile.inputs).filter((p) => p.includes('@forger'));
    expect(forgerInputs.length).toBeGreaterThan(0);
    for (const input of forgerInputs) {
      // Every Forger module came from the installed tarballs (dist/, proto's gen/), none from this workspace's src/.
      expect(input, 'bundled from the installed packages').toMatch(/^node_modules\/@forger\/[a-z-]+\/(dist|gen)\//);
    }
    // esbuild leaves `new URL('./x.wasm', import.meta.url)` alone: the README says to copy the .wasm files beside the bundle.
    const installedDist = join(installed, 'sampler-web', 'dist');
    for (const wasm of readdirSync(installedDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(installedDist, wasm), join(site, wasm));

    const checkpoint = /Sampler\.load\('\.\/([^']+)'\)/.exec(script!)?.[1];
    expect(checkpoint, 'the snippet loads a checkpoint by relative URL').toBeDefined();
    const page = snippet.replace(/<script type="module">[\s\S]*?<\/script>/, '<script type="module" src="./app.js"></script>');
    server = await serveStatic([site], {
      '/index.html': { contentType: 'text/html; charset=utf-8', body: page },
      [`/${checkpoint}`]: { contentType: 'application/octet-stream', body: await makeCheckpoint(dcganSpec(), { seed: 4, webDType: 'float16' }) },
    });

    // 5. Chromium draws the grid.
    browser = await launchChromium();
    const tab = await browser.newPage();
    const watch = watchPage(tab);
    await tab.goto(server.url);
    await expectReadmeDigitGrid(tab, 60_000);
    expect(watch.errors).toEqual([]);
  });
});
