// PLACEHOLDERS ONLY. Writes public/checkpoints/mnist-{vanilla,dcgan}.forger from
// *untrained* generators so the page has something to load before `forger train`
// exists. They draw noise, not digits. Do not commit them as the pretrained
// models: replace them with generator-only float16 web exports of real
// `forger train` runs (same file names). A file that exists is left alone, so a
// real checkpoint is never overwritten; pass --force to rewrite every placeholder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dcganSpec, makeCheckpoint, vanillaSpec } from '@forger/sampler-web/test-support';

const out = join(dirname(fileURLToPath(import.meta.url)), '../public/checkpoints');
mkdirSync(out, { recursive: true });
const note = 'PLACEHOLDER: untrained generator written by apps/demo/scripts/make-dev-checkpoints.ts';
for (const [name, spec] of [
  ['mnist-vanilla.forger', vanillaSpec()],
  ['mnist-dcgan.forger', dcganSpec()],
] as const) {
  if (existsSync(join(out, name)) && !process.argv.includes('--force')) {
    console.log(`kept ${join(out, name)} (exists; --force to overwrite with a placeholder)`);
    continue;
  }
  // int8 for DCGAN: its 1024→6272 dense layer alone is 12.8 MB in float16.
  const bytes = await makeCheckpoint(spec, { seed: 1, webDType: spec.family === 'dcgan' ? 'int8' : 'float16', note });
  writeFileSync(join(out, name), bytes);
  console.log(`wrote ${join(out, name)} (${(bytes.length / 1024).toFixed(0)} KB, untrained placeholder)`);
}
