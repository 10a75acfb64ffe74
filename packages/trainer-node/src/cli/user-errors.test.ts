import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@forger/core';
import { writeIdxDataset } from '../test-support/idx-dataset.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { ExitCode } from './exit-codes.js';
import { forger } from '../test-support/run-cli.js';

/** Issue 18, finding 4: user-reachable paths that printed a stack trace. Each must be one line, naming what the user gave. */
function expectOneLine(err: string, pattern: RegExp): void {
  expect(err).toMatch(pattern);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/unexpectedly|\n\s+at /);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

describe('errors a user can cause print one line', () => {
  let run: Awaited<ReturnType<typeof tinyVanillaRun>>;
  beforeAll(async () => {
    run = await tinyVanillaRun();
  });

  async function damagedCopy(name: string, damage: (c: Checkpoint) => void): Promise<string> {
    const checkpoint = decodeCheckpoint(await readFile(run.final));
    damage(checkpoint);
    const path = join(run.folder, name);
    await writeFile(path, encodeCheckpoint(checkpoint));
    return path;
  }

  it('inspect <directory>: a FileError naming the folder, exit 1', async () => {
    const { code, err } = await forger('inspect', run.folder);
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, new RegExp(`^FileError: cannot read ${run.folder}: it is a folder, not a checkpoint file\\n$`));
  });

  it('train --resume <directory>: the same, before anything is written', async () => {
    const { code, err } = await forger('train', '--backend', 'cpu', '--resume', run.folder, '--out', join(run.folder, 'never'));
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, /^FileError: cannot read .+: it is a folder/);
    expect(await exists(join(run.folder, 'never'))).toBe(false);
  });

  it('a file that is not a checkpoint is refused by its first bytes, naming it', async () => {
    const path = join(run.folder, 'video.mp4');
    await writeFile(path, Buffer.alloc(1 << 20, 7));
    const { code, err } = await forger('inspect', path);
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, new RegExp(`^CheckpointError: ${path}: not a Forger checkpoint`));
  });

  it('--resume with an Rng state of another algorithm: one line naming the checkpoint', async () => {
    const path = await damagedCopy('bad-rng.forger', (c) => {
      c.training!.rng = { algorithm: 'mt19937', words: [1, 2, 3, 4] };
    });
    const { code, err } = await forger('train', '--backend', 'cpu', '--resume', path, '--steps', '4', '--quiet');
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, new RegExp(`^RunError: ${path}: .*mt19937`));
  });

  it('--resume with an optimizer slot of the wrong shape: one line naming the checkpoint', async () => {
    const path = await damagedCopy('bad-slot.forger', (c) => {
      const slot = c.training!.optimizers[0]!.slots[0]!;
      slot.shape = [slot.shape.reduce((a, b) => a * b, 1) / 2, 2];
    });
    const { code, err } = await forger('train', '--backend', 'cpu', '--resume', path, '--steps', '4', '--quiet');
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, new RegExp(`^RunError: ${path}: `));
  });

  it('an IDX dataset of height 0: a DataError, exit 1', async () => {
    const images = await writeIdxDataset([0, 28], { count: 16 });
    const { code, err } = await forger('train', '--backend', 'cpu', '--dataset', images, '--batch-size', '8', '--steps', '1', '--quiet', '--out', join(run.folder, 'h0'));
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, /^DataError: .*train-images-idx3-ubyte: bad-shape: .*found 0×28×1/);
    expect(await exists(join(run.folder, 'h0'))).toBe(false);
  });

  it('DCGAN on 1×1 images: refused before training', async () => {
    const images = await writeIdxDataset([1, 1], { count: 16 });
    const { code, err } = await forger('train', '--backend', 'cpu', '--model', 'dcgan', '--dataset', images, '--batch-size', '8', '--steps', '1', '--quiet', '--out', join(run.folder, 'one'));
    expect([ExitCode.failure, ExitCode.usage]).toContain(code);
    expectOneLine(err, /1×1/);
    expect(await exists(join(run.folder, 'one'))).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('train --out /proc/x: one line and exit 1 within seconds (it used to spin forever)', async () => {
    const { code, err } = await forger('train', '--backend', 'cpu', '--batch-size', '8', '--steps', '1', '--quiet', '--out', '/proc/forger-x');
    expect(code).toBe(ExitCode.failure);
    expectOneLine(err, /^FileError: cannot create folder \/proc\/forger-x.*: the file system does not allow new folders in \/proc\n$/);
  }, 20_000);

  it('generate --count 100000000: a usage error naming the limit, exit 2', async () => {
    const { code, err } = await forger('generate', '--checkpoint', run.web, '--count', '100000000', '--out', join(run.folder, 'g.png'), '--backend', 'cpu');
    expect(code).toBe(ExitCode.usage);
    expectOneLine(err, /^error: --count 100000000 .*at most [\d,]+/);
  });

  it.each([['1000000000'], ['1000000']])('train --latent-dim %s: a usage error naming the limit, exit 2', async (n) => {
    const { code, err } = await forger('train', '--backend', 'cpu', '--latent-dim', n, '--steps', '1', '--out', join(run.folder, 'z'));
    expect(code).toBe(ExitCode.usage);
    expectOneLine(err, /^error: --latent-dim .*at most 65,536/);
    expect(await exists(join(run.folder, 'z'))).toBe(false);
  });
});
