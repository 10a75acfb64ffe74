import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGunzip } from 'node:zlib';
import { DataError } from '../data-error.js';
import { idxFileBytes } from '../idx.js';

/**
 * The largest data file Forger reads, raw or inflated: 1 GiB. The largest dataset it knows, EMNIST ByClass, has
 * 547 MB of training images. A gzip bomb (issue 18: a file inflating to 1.5 GB cost 3.2 GB before it was refused)
 * stops here, or sooner at the size its IDX header declares.
 */
export const MAX_DATA_FILE_BYTES = 2 ** 30;

/**
 * A data file's bytes, gunzipped when it starts with the gzip magic 1f 8b
 * (an IDX file starts with 00 00, so the two never collide and a `.gz` name
 * is not needed). A missing file or folder is a DataError that names it.
 */
export async function readDataFile(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_DATA_FILE_BYTES) {
      throw new DataError('too-large', 'the file is larger than any dataset file Forger reads', {
        file: path, expected: `at most ${MAX_DATA_FILE_BYTES} bytes`, found: `${size} bytes`,
      });
    }
    raw = await readFile(path);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw await fileError(path, error);
  }
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isGzip(bytes)) return bytes;
  return gunzipCapped(bytes, path);
}

/**
 * Inflates a gzip stream chunk by chunk, and stops as soon as the output passes the size its IDX header declares
 * (`trailing-bytes`, as parseIdx would say of the whole) or MAX_DATA_FILE_BYTES (`too-large`), so that a hostile
 * file costs at most its declared size plus one chunk.
 */
function gunzipCapped(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let declared: number | null | undefined;
    let settled = false;
    const fail = (error: DataError): void => {
      settled = true;
      gunzip.destroy();
      chunks.length = 0;
      reject(error);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      total += chunk.length;
      if (declared === undefined) {
        // the header is at most 1,024 bytes: the first chunk or two hold it
        declared = idxFileBytes(chunks.length === 1 ? chunk : Buffer.concat(chunks));
        if (declared === undefined && total >= 4 + 4 * 255) declared = null;
      }
      if (typeof declared === 'number' && declared > MAX_DATA_FILE_BYTES) {
        fail(new DataError('too-large', 'the IDX header declares more data than any dataset file Forger reads', {
          file: path, expected: `at most ${MAX_DATA_FILE_BYTES} bytes`, found: `a header declaring ${declared} bytes`,
        }));
      } else if (typeof declared === 'number' && total > declared) {
        fail(new DataError('trailing-bytes', 'the file inflates to more than its IDX header declares (stopped inflating there)', {
          file: path, expected: `${declared} bytes inflated`, found: `more than ${declared} bytes`,
        }));
      } else if (total > MAX_DATA_FILE_BYTES) {
        fail(new DataError('too-large', 'the file inflates to more than any dataset file Forger reads (stopped inflating there)', {
          file: path, expected: `at most ${MAX_DATA_FILE_BYTES} bytes inflated`, found: `more than ${MAX_DATA_FILE_BYTES} bytes`,
        }));
      }
    });
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      const inflated = Buffer.concat(chunks, total);
      resolve(new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength));
    });
    gunzip.on('error', (error) => {
      if (settled) return;
      fail(new DataError('bad-gzip', 'the file starts like gzip but cannot be gunzipped (truncated download?)', {
        file: path,
        expected: 'a complete gzip stream',
        found: error.message,
        cause: error,
      }));
    });
    gunzip.end(bytes);
  });
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
