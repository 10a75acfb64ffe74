import { ForgerError } from '@forger/core';

export type FileErrorCode =
  /** no such file or folder */
  | 'not-found'
  /** a folder where a file was expected (inspect <dir>, --resume <dir>) */
  | 'is-a-folder'
  /** a file where a folder was expected, or a path through a file */
  | 'not-a-folder'
  /** the disk (or quota) is full */
  | 'no-space'
  /** a read-only file system */
  | 'read-only'
  /** permissions */
  | 'permission'
  /** the file system refuses the operation there (e.g. a folder under /proc), or another I/O error */
  | 'refused';

/** What was being done to the path, for the message: "cannot read x", "cannot create folder x". */
export type FileAction = 'read' | 'write' | 'create folder' | 'create' | 'remove';

/**
 * A file or folder the user named that cannot be read or written. The message names the path the user gave (never a
 * temp file of an atomic write) and says why in words; `cause` keeps the errno for --verbose.
 */
export class FileError extends ForgerError<FileErrorCode> {
  override readonly name = 'FileError';
}

const REASONS: Record<string, { code: FileErrorCode; reason: string }> = {
  ENOENT: { code: 'not-found', reason: 'no such file or folder' },
  EISDIR: { code: 'is-a-folder', reason: 'it is a folder, not a file' },
  ENOTDIR: { code: 'not-a-folder', reason: 'a part of the path is a file, not a folder' },
  ENOSPC: { code: 'no-space', reason: 'no space left on the device' },
  EDQUOT: { code: 'no-space', reason: 'disk quota exceeded' },
  EROFS: { code: 'read-only', reason: 'read-only file system' },
  EACCES: { code: 'permission', reason: 'permission denied' },
  EPERM: { code: 'permission', reason: 'operation not permitted' },
  EEXIST: { code: 'not-a-folder', reason: 'a file of that name is in the way' },
};

/**
 * An errno error of `action` on `path` as a FileError naming `path`; anything that is not an errno error (a bug) is
 * returned unchanged so that it keeps its stack.
 */
export function fileError(error: unknown, action: FileAction, path: string): unknown {
  if (error instanceof ForgerError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const known = REASONS[code] ?? { code: 'refused' as const, reason: `the file system refused it (${code})` };
  return new FileError(known.code, `cannot ${action} ${path}: ${known.reason}`, { where: path, cause: error });
}
