import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMP_SUFFIX, removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-atomic-'));
    const path = join(folder, 'final.forger');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(path, 'second version');
    expect(await readFile(path, 'utf8')).toBe('second version');
    expect(await readdir(folder)).toEqual(['final.forger']);
  });

  it('fails without touching the target when the folder does not exist', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-atomic-'));
    await expect(writeFileAtomic(join(folder, 'missing', 'x.png'), 'x')).rejects.toMatchObject({ name: 'FileError', code: 'not-found', message: `cannot write ${join(folder, 'missing', 'x.png')}: no such file or folder` });
    expect(await readdir(folder)).toEqual([]);
  });

  it('sweeps the temp files of a killed writer, and only those', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-atomic-'));
    await writeFile(join(folder, `.final.forger.123.abcd${TEMP_SUFFIX}`), 'torn');
    await writeFile(join(folder, 'final.forger'), 'whole');
    expect(await removeStaleTempFiles(folder)).toBe(1);
    expect(await readdir(folder)).toEqual(['final.forger']);
  });
});
