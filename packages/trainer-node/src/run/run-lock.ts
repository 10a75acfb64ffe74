import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileError } from './file-error.js';
import { makeFolder } from './make-folder.js';
import { RunError } from './run-error.js';

/** The lock file in a run folder: hidden, like the temp files of atomic writes. */
export const LOCK_FILE = '.forger.lock';

/** Who holds a run folder: written into the lock file as one JSON line. */
export interface LockHolder {
  pid: number;
  host: string;
  /** RFC 3339 */
  startedAt: string;
  command: string;
}

/** A lock file without a readable holder is taken over only once it is this old: its writer may be mid-write. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * One owner per run folder (issue 18, finding 3: two trainers on one --out deleted each other's checkpoints and
 * interleaved metrics.jsonl). `acquire` creates `<folder>/.forger.lock` with O_EXCL (`open(path, 'wx')`: atomic on
 * local file systems), so of two trainers exactly one gets it; the other gets a RunError naming the holder. A lock
 * whose process is gone (same host, pid not alive: a kill -9, a crash) is stale and taken over with a notice. A pid
 * reused by an unrelated process, or a holder on another host (a shared folder), cannot be told from a live run:
 * the message says which file to delete then.
 */
export class RunLock {
  private constructor(
    readonly path: string,
    private readonly holder: LockHolder,
  ) {}

  static async acquire(folder: string, options: { command: string; say: (line: string) => void }): Promise<RunLock> {
    await makeFolder(folder);
    const path = join(folder, LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: options.command };
    // twice at most: once, and once more after removing a stale lock
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createExclusive(path, `${JSON.stringify(holder)}\n`)) return new RunLock(path, holder);
      const current = await readHolder(path);
      if (current === 'gone') continue;
      if (current === 'unreadable') {
        if (!(await olderThan(path, UNREADABLE_LOCK_GRACE_MS))) throw busy(folder, path, undefined);
        options.say(`${folder}: taking over an unreadable lock file ${path}, ${UNREADABLE_LOCK_GRACE_MS / 1000} s or more old`);
      } else {
        if (!isStale(current)) throw busy(folder, path, current);
        options.say(`${folder}: taking over the lock of pid ${current.pid} on ${current.host} (started ${current.startedAt}), which is no longer running`);
      }
      await rm(path, { force: true });
    }
    throw busy(folder, path, undefined);
  }

  /** Removes the lock file if it is still this run's (a taker-over's lock is not ours to remove). */
  async release(): Promise<void> {
    const current = await readHolder(this.path);
    if (typeof current === 'object' && current.pid === this.holder.pid && current.startedAt === this.holder.startedAt && current.host === this.holder.host) {
      await rm(this.path, { force: true });
    }
  }
}

/** True when `path` was created by this call; false when it exists. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fileError(error, 'create', path);
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw fileError(error, 'write', path);
  }
  await handle.close();
  return true;
}

async function readHolder(path: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw fileError(error, 'read', path);
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isSafeInteger(value.pid) && value.pid! > 0 && typeof value.host === 'string' && typeof value.startedAt === 'string') {
      return { pid: value.pid!, host: value.host, startedAt: value.startedAt, command: typeof value.command === 'string' ? value.command : '' };
    }
  } catch {
    // a lock file torn by a crash between its creation and its write
  }
  return 'unreadable';
}

/** Only a holder on this host can be checked: signal 0 tests that a pid exists (EPERM: it exists, someone else's). */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
}

function busy(folder: string, path: string, holder: LockHolder | undefined): RunError {
  const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}${holder.command ? ` (${holder.command})` : ''}` : 'a process that is writing its lock file';
  return new RunError('busy', `${folder} is in use by another forger train: ${who}. Wait for it to finish or train into another --out; if that run is gone, delete ${path}`, { where: folder });
}
