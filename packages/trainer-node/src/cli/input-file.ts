import { ForgerError } from '@forger/core';
import { readFile } from 'node:fs/promises';

/** A file the user named could not be read; reportError prints the message as one line and exits 1. */
export class InputFileError extends ForgerError<'unreadable'> {
  override readonly name = 'InputFileError';

  /** The path as the user gave it (`where`). */
  get path(): string {
    return this.where ?? '';
  }
}

/** Node's errno codes in words a user reads without looking them up. */
export function errnoInWords(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a folder, not a file';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'the file system is read-only';
    default: return error.code ?? error.message;
  }
}

/**
 * Reads a file the user named, e.g. `readInputFile(flags.checkpoint, 'checkpoint')`. A missing or unreadable file is
 * one line naming the path as the user typed it: `cannot read checkpoint "runs/x/final.forger": no such file`,
 * not Node's raw `ENOENT: no such file or directory, open …`.
 */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (typeof errno?.code !== 'string') throw error;
    throw new InputFileError('unreadable', `cannot read ${what} "${path}": ${errnoInWords(errno)}`, { where: path });
  }
}
