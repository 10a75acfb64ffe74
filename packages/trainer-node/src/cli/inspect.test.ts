import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

describe('forger inspect', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  it('summarises a training checkpoint: family, size, step, provenance', async () => {
    const io = captureIo();
    expect(await runCli(['inspect', run.final], io)).toBe(ExitCode.ok);
    const bytes = (await readFile(run.final)).byteLength;
    expect(io.out()).toContain(`${run.final} (${bytes.toLocaleString('en-US')} bytes)`);
    expect(io.out()).toMatch(/vanilla/);
    expect(io.out()).toMatch(/\b2\b/); // the step
    expect(io.out()).toMatch(/cpu/); // the backend of the provenance
    expect(io.err()).toBe('');
  });

  it('lists every tensor with its shape and dtype, and speaks JSON', async () => {
    const io = captureIo();
    expect(await runCli(['inspect', run.web, '--tensors'], io)).toBe(ExitCode.ok);
    expect(io.out()).toMatch(/generator\s+dense_1\/kernel\s+\[32, 128\] float16/);
    const json = captureIo();
    expect(await runCli(['inspect', run.final, '--json'], json)).toBe(ExitCode.ok);
    expect(JSON.parse(json.out())).toMatchObject({ family: 'vanilla', training: { step: 2 } });
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['bit-flipped', (b: Buffer) => Buffer.from(b.map((x, i) => (i === b.length - 20 ? x ^ 0x40 : x)))],
    ['not a checkpoint', () => Buffer.from('PNG, not a checkpoint')],
  ])('on a %s file prints one CheckpointError line and exits 1', async (_what, damage) => {
    const path = join(run.folder, 'damaged.forger');
    await writeFile(path, damage(await readFile(run.final)));
    const io = captureIo();
    expect(await runCli(['inspect', path], io)).toBe(ExitCode.failure);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^CheckpointError: .+\n$/);
  });

  it('on a missing file says so in one line naming the path as given, and exits 1', async () => {
    const io = captureIo();
    const missing = join(run.folder, 'nope.forger');
    expect(await runCli(['inspect', missing], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(`FileError: cannot read ${missing}: no such file or folder\n`);
  });
});
