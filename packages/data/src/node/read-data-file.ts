import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataError } from '../data-error.js';

const gunzipAsync = promisify(gunzip);

/**
 * A data file's bytes, gunzipped when it starts with the gzip magic 1f 8b
 * (an IDX file starts with 00 00, so the two never collide and a `.gz` name
 * is not needed). A missing file or folder is a DataError that names it.
 */
export async function readDataFile(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw await fileError(path, error);
  }
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isGzip(bytes)) return bytes;
  try {
    const inflated = await gunzipAsync(bytes);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw new DataError('bad-gzip', 'the file starts like gzip but cannot be gunzipped (truncated download?)', {
      file: path,
      expected: 'a complete gzip stream',
      found: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The size of a file, or a DataError that says whether the file or its folder is missing. */
export async function dataFileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new DataError('missing-file', 'the path is not a regular file', { file: path, expected: 'a file', found: 'a folder or special file' });
    }
    return info.size;
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw await fileError(path, error);
  }
}

/** Checks that a folder exists; a DataError naming it otherwise. */
export async function requireFolder(path: string, purpose: string): Promise<void> {
  const kind = await pathKind(path);
  if (kind !== 'folder') {
    throw new DataError('missing-folder', `the ${purpose} folder does not exist`, {
      file: path,
      expected: `a folder holding ${purpose}`,
      found: kind === 'missing' ? 'no such folder' : 'a file',
    });
  }
}

export async function pathKind(path: string): Promise<'file' | 'folder' | 'missing' | 'other'> {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

async function fileError(path: string, error: unknown): Promise<DataError> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    const folder = dirname(path);
    if ((await pathKind(folder)) !== 'folder') {
      return new DataError('missing-folder', 'the folder of a data file does not exist', {
        file: path,
        expected: `a folder ${folder}`,
        found: 'no such folder',
        cause: error,
      });
    }
    return new DataError('missing-file', 'the data file does not exist', { file: path, expected: 'a file', found: 'no such file', cause: error });
  }
  if (code === 'EISDIR') {
    return new DataError('missing-file', 'the path is a folder, not a data file', { file: path, expected: 'a file', found: 'a folder', cause: error });
  }
  return new DataError('unreadable-file', 'the data file cannot be read', {
    file: path,
    expected: 'a readable file',
    found: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}
