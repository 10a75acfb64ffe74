import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileError } from './file-error.js';

/** Temp files of an interrupted write end with this suffix; a run sweeps its own folder of them at start. */
export const TEMP_SUFFIX = '.forger-tmp';

/**
 * Writes `data` to `path` so that a reader (or a `kill -9` at any instant) sees either the old file or the whole new
 * one, never a torn one: write a temp file in the same folder, fsync it, rename it over the target, fsync the folder
 * so the rename itself survives a crash. The same recipe as write-file-atomic and SQLite's journal.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeThroughTemp(path, data);
  } catch (error) {
    // the temp file is ours, not the user's: a full disk or a read-only folder is reported on the path they asked for
    throw fileError(error, 'write', path);
  }
}

async function writeThroughTemp(path: string, data: Uint8Array | string): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** fsync on a directory makes its entries (the rename above) durable; Windows cannot open folders, and needs not. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Deletes the temp files that a killed writer left in `folder` (never the finished files). */
export async function removeStaleTempFiles(folder: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const stale = names.filter((name) => name.endsWith(TEMP_SUFFIX));
  for (const name of stale) await rm(join(folder, name), { force: true });
  return stale.length;
}
