import { Sampler, type BackendPreference, type CheckpointSource } from '@forger/sampler-web';

/**
 * The sampler the page is showing, and the queue every piece of work goes
 * through. tfjs has one global engine, so a backend switch must not interleave
 * with a batch being generated; serialising is simpler than guarding each panel.
 * A failed load leaves the previous sampler in place, so the page keeps working.
 */
export class SamplerSession {
  private current: Sampler | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: Array<(s: Sampler) => void> = [];

  get sampler(): Sampler | undefined {
    return this.current;
  }

  onChange(listener: (s: Sampler) => void): void {
    this.listeners.push(listener);
  }

  /** Runs `task` after everything queued before it; a failure does not block later tasks. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  load(source: CheckpointSource, backend: BackendPreference): Promise<Sampler> {
    return this.run(async () => {
      const loaded = await Sampler.load(source, { backend });
      const previous = this.current;
      this.current = loaded;
      // Disposed after the new one holds its backend, so a shared backend is not torn down and restarted.
      previous?.dispose();
      for (const listener of this.listeners) listener(loaded);
      return loaded;
    });
  }
}
