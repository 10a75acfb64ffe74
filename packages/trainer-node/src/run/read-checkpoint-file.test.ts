import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKPOINT_LIMITS } from '@forger/core';
import { readCheckpointFile } from './read-checkpoint-file.js';

const MB = 1024 * 1024;

// Issue 18, finding 6: the CLI read a 1 GB file whole before rejecting it by its magic.
describe('readCheckpointFile', () => {
  it('refuses a large file that is not a checkpoint by its first bytes, without reading it whole', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-read-'));
    const path = join(folder, 'video.mp4');
    await writeFile(path, 'not a checkpoint');
    await truncate(path, 400 * MB); // sparse: costs no disk
    const before = process.memoryUsage().arrayBuffers;
    await expect(readCheckpointFile(path)).rejects.toMatchObject({ name: 'CheckpointError', code: 'bad-magic', message: `${path}: not a Forger checkpoint: the file does not start with the magic "FORGERCK"` });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * MB);
  });

  it('refuses a file over the checkpoint size limit before reading it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-read-'));
    const path = join(folder, 'huge.forger');
    await writeFile(path, '');
    await truncate(path, DEFAULT_CHECKPOINT_LIMITS.maxFileBytes + 1);
    await expect(readCheckpointFile(path)).rejects.toMatchObject({ name: 'CheckpointError', code: 'too-large', where: path });
  });

  it('names a folder and a missing file as the user gave them', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-read-'));
    await expect(readCheckpointFile(folder)).rejects.toMatchObject({ name: 'FileError', code: 'is-a-folder' });
    await expect(readCheckpointFile(join(folder, 'nope.forger'))).rejects.toMatchObject({ name: 'FileError', code: 'not-found', message: `cannot read ${join(folder, 'nope.forger')}: no such file or folder` });
  });
});
