import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolder } from './make-folder.js';

describe('makeFolder', () => {
  it('creates every missing part of a path, and accepts one that exists', async () => {
    const root = await mkdtemp(join(tmpdir(), 'forger-mkdir-'));
    const deep = join(root, 'a', 'b', 'c');
    await makeFolder(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeFolder(deep);
    await makeFolder(root);
  });

  it('names the file in the way', async () => {
    const root = await mkdtemp(join(tmpdir(), 'forger-mkdir-'));
    await writeFile(join(root, 'file'), 'x');
    await expect(makeFolder(join(root, 'file', 'run'))).rejects.toMatchObject({
      name: 'FileError', code: 'not-a-folder', message: `cannot create folder ${join(root, 'file', 'run')}: ${join(root, 'file')} is a file, not a folder`,
    });
  });

  // Node's mkdir(path, { recursive: true }) spins at 100 % CPU forever here (issue 18, finding 7)
  it.skipIf(process.platform !== 'linux')('refuses a folder under /proc at once, naming it', async () => {
    await expect(makeFolder('/proc/forger-run/samples')).rejects.toMatchObject({
      name: 'FileError', code: 'refused', message: 'cannot create folder /proc/forger-run/samples: the file system does not allow new folders in /proc',
    });
  }, 5000);
});
