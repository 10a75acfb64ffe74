import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileError, fileError } from './file-error.js';

/**
 * `mkdir -p` in a bounded number of steps. Node's own `mkdir(path, { recursive: true })` loops forever at 100 % CPU
 * under /proc (mkdir says ENOENT, the parent exists, and it tries again: issue 18, finding 7) and reports a read-only
 * file system as ENOENT. Here: find the deepest folder that exists (one stat per path part), then create each
 * missing part once, downward; any refusal is a FileError naming the folder the user asked for and why.
 */
export async function makeFolder(path: string): Promise<void> {
  const target = resolve(path);
  const missing: string[] = [];
  for (let folder = target; ; folder = dirname(folder)) {
    const kind = await kindOf(folder, path);
    if (kind === 'folder') break;
    if (kind === 'other') {
      throw new FileError('not-a-folder', `cannot create folder ${path}: ${folder} is a file, not a folder`, { where: path });
    }
    missing.unshift(folder);
    if (dirname(folder) === folder) break; // the root itself is missing: mkdir below says why
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      // another process made it in between: fine, if it is a folder
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await kindOf(folder, path)) === 'folder') continue;
      const reported = fileError(error, 'create folder', path);
      if (reported instanceof FileError && reported.code === 'not-found') {
        // its parent exists (we just checked or made it): the file system itself refuses folders there (/proc, /sys)
        throw new FileError('refused', `cannot create folder ${path}: the file system does not allow new folders in ${dirname(folder)}`, { where: path, cause: error });
      }
      throw reported;
    }
  }
}

async function kindOf(folder: string, userPath: string): Promise<'folder' | 'missing' | 'other'> {
  try {
    return (await stat(folder)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a part above is a file; walking up finds it and names it
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw fileError(error, 'create folder', userPath);
  }
}
