import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// '@forger/kernels' is imported by the browser sampler (@forger/sampler-web): nothing its main entry can reach may
// import a node: module, read process.env, or reach a file under src/node/ (Dawn, the gradients' resolve hook).
const srcDir = dirname(fileURLToPath(import.meta.url));
const IMPORT_SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g;

/** Every source file reachable from `entry` through relative imports, with its text. */
function reachableSources(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const [, s] of text.matchAll(IMPORT_SPECIFIER)) {
      if (s!.startsWith('.')) pending.push(resolve(dirname(file), s!.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

function bareImports(sources: Map<string, string>): string[] {
  const bare = [...sources.values()].flatMap((text) => [...text.matchAll(IMPORT_SPECIFIER)].map((m) => m[1]!)).filter((s) => !s.startsWith('.'));
  return [...new Set(bare)].sort();
}

describe('the browser-safe entry', () => {
  it('reaches no node: module, no process.env and no file under src/node/, test-support/ or bench/', () => {
    const sources = reachableSources(join(srcDir, 'index.ts'));
    const files = [...sources.keys()].map((file) => relative(srcDir, file));
    expect(files).toContain('register.ts');
    expect(files).toContain('webgpu/implicit-gemm.ts');
    expect(files.filter((file) => /^(node|test-support|bench)\//.test(file))).toEqual([]);
    expect(files.filter((file) => /\bprocess\.env\b/.test(sources.get(join(srcDir, file))!.replace(/^\s*(\/\/|\*).*$/gm, '')))).toEqual([]);
    expect(bareImports(sources)).toEqual(['@forger/core', '@forger/models', '@forger/models/kernels', '@tensorflow/tfjs-core']);
  });

  it('the node entry does reach node: modules and process.env, so the check above can see them', () => {
    const sources = reachableSources(join(srcDir, 'node', 'index.ts'));
    expect(bareImports(sources)).toContain('node:module');
    expect([...sources.values()].some((text) => text.includes('process.env'))).toBe(true);
  });
});
