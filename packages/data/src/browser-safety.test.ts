import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// '@forger/data' is imported by the browser demo: nothing its main entry can
// reach may import a node: module or a file under src/node/.
const srcDir = dirname(fileURLToPath(import.meta.url));
const IMPORT_SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g;

/** Every source file reachable from `entry` through relative imports, with each bare import it makes. */
function reachableImports(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)].map((m) => m[1]!);
    seen.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((s) => s.startsWith('.'))) pending.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return seen;
}

describe('the browser-safe entry', () => {
  it('reaches no node: module and no file under src/node/', () => {
    const reachable = reachableImports(join(srcDir, 'index.ts'));
    const files = [...reachable.keys()].map((file) => relative(srcDir, file));
    expect(files).toContain('batch-iterator.ts');
    expect(files).toContain('idx.ts');
    expect(files.filter((file) => file.startsWith('node'))).toEqual([]);
    const bare = [...new Set([...reachable.values()].flat())].sort();
    expect(bare).toEqual(['@forger/core']);
  });

  it('the node entry does use node: modules, so the check above can see them', () => {
    const bare = [...reachableImports(join(srcDir, 'node', 'index.ts')).values()].flat();
    expect(bare).toContain('node:fs/promises');
  });
});
