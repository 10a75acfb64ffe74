import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIdx } from '@forger/data';
import { decodePng } from '../run/sample-png.js';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

/** Issue 17 item 5: one grammar for every command that reads a checkpoint. */
describe('forger: one way to name a checkpoint', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it.each([
    ['inspect', (ckpt: string[]) => ['inspect', ...ckpt, '--json']],
    ['export', (ckpt: string[]) => ['export', ...ckpt, '--out', join(run.folder, `exported-${ckpt.length}.forger`)]],
    ['generate', (ckpt: string[]) => ['generate', ...ckpt, '--count', '2', '--out', join(run.folder, `g-${ckpt.length}.png`), '--backend', 'cpu']],
  ])('%s takes the checkpoint as its first argument or as --checkpoint, and refuses both', async (_name, args) => {
    const positional = captureIo();
    expect(await runCli(args([run.final]), positional)).toBe(ExitCode.ok);
    const flag = captureIo();
    expect(await runCli(args(['--checkpoint', run.final]), flag)).toBe(ExitCode.ok);
    const both = captureIo();
    expect(await runCli(args([run.final, '--checkpoint', run.final]), both)).toBe(ExitCode.usage);
    expect(both.err()).toMatch(/^error: give the checkpoint once: as the first argument .* or as --checkpoint .*, not both \(see: forger \w+ --help\)\n/);
  });

  it('eval takes it either way too (and then says why a vanilla checkpoint cannot classify)', async () => {
    for (const ckpt of [[run.final], ['--checkpoint', run.final]]) {
      const io = captureIo();
      expect(await runCli(['eval', ...ckpt, '--backend', 'cpu'], io)).toBe(ExitCode.failure);
      expect(io.err()).toMatch(/vanilla checkpoint without a discriminator|vanilla checkpoint whose discriminator has no classes/);
    }
  });

  it('generate with only a checkpoint writes 64 samples to generated.png beside it', async () => {
    const io = captureIo();
    const idx = join(run.folder, 'defaults.idx');
    expect(await runCli(['generate', run.final, '--idx', idx, '--backend', 'cpu'], io)).toBe(ExitCode.ok);
    const png = join(run.folder, 'generated.png');
    expect(io.out()).toContain(`wrote 64 samples to ${png}`);
    // 64 images: 8 × 8 cells of 28×28 with 1-pixel borders
    const grid = decodePng(await readFile(png));
    expect([grid.width, grid.height]).toEqual([8 * 29 + 1, 8 * 29 + 1]);
    expect(parseIdx(await readFile(idx), idx).dims).toEqual([64, 28, 28]);
  });

  it('names every missing input in one message, exit 2', async () => {
    const io = captureIo();
    expect(await runCli(['export'], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/^error: missing <checkpoint> \(or --checkpoint <file>\), --out <file> \(see: forger export --help\)\n/);
    for (const command of ['inspect', 'generate', 'eval']) {
      const one = captureIo();
      expect(await runCli([command], one)).toBe(ExitCode.usage);
      expect(one.err()).toMatch(/^error: missing <checkpoint> \(or --checkpoint <file>\) \(see: forger \w+ --help\)\n/);
    }
  });

  it.each(['inspect', 'export', 'generate', 'eval', 'score'])('%s on a missing file: one line naming the path as given, exit 1', async (command) => {
    const io = captureIo();
    const missing = join(run.folder, 'no-such-run', 'final.forger');
    const extra = command === 'export' ? ['--out', join(run.folder, 'x.forger')] : ['--backend', 'cpu'];
    expect(await runCli([command, missing, ...(command === 'inspect' ? [] : extra)], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(`FileError: cannot read ${missing}: no such file or folder\n`);
    expect(existsSync(join(run.folder, 'x.forger'))).toBe(false);
  });

  it('train --resume of a missing file is the same one line', async () => {
    const io = captureIo();
    const missing = join(run.folder, 'gone.forger');
    expect(await runCli(['train', '--resume', missing, '--backend', 'cpu'], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(`FileError: cannot read ${missing}: no such file or folder\n`);
  });
});
