import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { makeFolder } from './make-folder.js';
import { stepOfCheckpointName, type RunLayout } from './run-layout.js';

/** keras / tf.train.CheckpointManager keep 5; three 80 MB DCGAN states are plenty on a laptop. */
export const DEFAULT_CHECKPOINTS_KEPT = 3;

/**
 * Writes a run's checkpoints atomically and keeps the newest `keep` step checkpoints. The older ones are deleted
 * only after the new one is durable, so a crash during pruning never leaves the run without a loadable state.
 */
export class CheckpointStore {
  constructor(
    private readonly layout: RunLayout,
    private readonly keep: number = DEFAULT_CHECKPOINTS_KEPT,
  ) {
    if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`CheckpointStore: keep must be an integer ≥ 1, got ${keep}`);
  }

  /**
   * `keepBefore`: a step at which a --stop-on health condition may have begun (training-health.ts); the newest
   * checkpoint before it is kept beyond the `keep` newest, since the run would go back to it.
   */
  async writeStep(step: number, bytes: Uint8Array, keepBefore?: number): Promise<string> {
    await makeFolder(this.layout.checkpointFolder);
    const path = this.layout.stepCheckpoint(step);
    await writeFileAtomic(path, bytes);
    await this.prune(keepBefore);
    return path;
  }

  /** The newest step checkpoint before `step`: the last good one of a run that stopped on a condition begun there. */
  async lastBefore(step: number): Promise<{ step: number; path: string } | undefined> {
    return (await this.stepCheckpoints()).filter((entry) => entry.step < step).at(-1);
  }

  /**
   * The final checkpoint and, when there is one, its web export. Without one (weights a web file cannot hold), an
   * older final.web.forger is removed: left in place it would pass for this run's model.
   */
  async writeFinal(bytes: Uint8Array, webBytes: Uint8Array | undefined): Promise<{ checkpoint: string; webExport: string | undefined }> {
    await makeFolder(this.layout.folder);
    await writeFileAtomic(this.layout.finalCheckpoint, bytes);
    if (webBytes === undefined) {
      await rm(this.layout.webExport, { force: true });
      return { checkpoint: this.layout.finalCheckpoint, webExport: undefined };
    }
    await writeFileAtomic(this.layout.webExport, webBytes);
    return { checkpoint: this.layout.finalCheckpoint, webExport: this.layout.webExport };
  }

  /** Step checkpoints on disk, oldest first. */
  async stepCheckpoints(): Promise<{ step: number; path: string }[]> {
    let names: string[];
    try {
      names = await readdir(this.layout.checkpointFolder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => ({ step: stepOfCheckpointName(name), path: join(this.layout.checkpointFolder, name) }))
      .filter((entry): entry is { step: number; path: string } => entry.step !== undefined)
      .sort((a, b) => a.step - b.step);
  }

  private async prune(keepBefore: number | undefined): Promise<void> {
    const all = await this.stepCheckpoints();
    const guarded = keepBefore === undefined ? undefined : all.filter((entry) => entry.step < keepBefore).at(-1);
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) {
      if (old !== guarded) await rm(old.path, { force: true });
    }
  }
}
