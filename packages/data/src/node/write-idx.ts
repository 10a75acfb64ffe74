import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { DataError } from '../data-error.js';
import { encodeIdx } from '../idx.js';

const gzipAsync = promisify(gzip);

/**
 * Writes an unsigned-byte IDX file (gzipped when the path ends in `.gz`).
 * Atomic: the bytes go to a temporary file in the same folder, are fsynced,
 * then renamed over `path`, so a reader (or a crash) never sees half a file.
 */
export async function writeIdx(path: string, dims: readonly number[], data: Uint8Array): Promise<void> {
  const encoded = encodeIdx(dims, data);
  const bytes = path.endsWith('.gz') ? await gzipAsync(encoded) : encoded;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw new DataError(code === 'ENOENT' ? 'missing-folder' : 'write-failed', 'cannot write the IDX file', {
      file: path,
      expected: `a writable folder ${dirname(path)}`,
      found: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
