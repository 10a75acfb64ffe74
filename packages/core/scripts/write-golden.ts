// Writes proto/testdata/golden-v1.forger, the file the golden test decodes.
// Run from packages/core: pnpm exec tsx scripts/write-golden.ts
// Regenerate only when the format version changes: old files must keep reading.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCheckpoint } from '../src/checkpoint/encode.js';
import { goldenCheckpoint } from '../src/test-support/golden.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto', 'testdata', 'golden-v1.forger');
mkdirSync(dirname(out), { recursive: true });
const bytes = encodeCheckpoint(goldenCheckpoint());
writeFileSync(out, bytes);
console.log(`wrote ${out} (${bytes.length} bytes)`);
