import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from '../cli/exit-codes.js';
import { reportError } from '../cli/report-error.js';
import { FileError, fileError } from './file-error.js';

async function errnoOf(action: () => Promise<unknown>): Promise<unknown> {
  return action().then(() => undefined, (error: unknown) => error);
}

describe('fileError', () => {
  it.skipIf(process.platform !== 'linux')('a full disk (a real ENOSPC from /dev/full) is one line naming the user\'s path', async () => {
    const errno = await errnoOf(() => writeFile('/dev/full', 'x'));
    expect(errno).toMatchObject({ code: 'ENOSPC' });
    const error = fileError(errno, 'write', 'runs/x/final.forger');
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'no-space', where: 'runs/x/final.forger', message: 'cannot write runs/x/final.forger: no space left on the device' });
    const io = captureIo();
    expect(reportError(error, io, 'train')).toBe(ExitCode.failure);
    expect(io.err()).toBe('FileError: cannot write runs/x/final.forger: no space left on the device\n');
  });

  it('a read-only file system says so, not ENOENT', () => {
    const errno = Object.assign(new Error("EROFS: read-only file system, mkdir '/mnt/ro/run'"), { code: 'EROFS', path: '/mnt/ro/run' });
    expect(fileError(errno, 'create folder', '/mnt/ro/run')).toMatchObject({
      code: 'read-only', message: 'cannot create folder /mnt/ro/run: read-only file system',
    });
  });

  it('leaves errors that are not errno errors (bugs) as they are', () => {
    const bug = new TypeError('x is undefined');
    expect(fileError(bug, 'read', 'a')).toBe(bug);
  });
});
