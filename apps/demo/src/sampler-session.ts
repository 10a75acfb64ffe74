import { Sampler, type BackendPreference, type CheckpointSource } from '@forger/sampler-web';

/** A load that a newer choice replaced before it finished: not an error to show. */
export class LoadSuperseded extends Error {
  constructor() {
    super('a newer model or backend choice replaced this load');
    this.name = 'LoadSuperseded';
  }
}

/**
 * The sampler the page is showing, and the queue every piece of work goes
 * through. tfjs has one global engine, so a backend switch must not interleave
 * with a batch being generated; serialising is simpler than guarding each panel.
 * A failed load leaves the previous sampler in place, so the page keeps working.
 *
 * Every load request bumps a generation counter and aborts the load that is
 * running (Sampler.load's signal): the aborted load frees what it made and
 * leaves the queue at once, so the newest choice starts without waiting for the
 * ones the visitor passed over. Work queued before the newest request (older
 * loads, renders for the sampler about to be replaced) is skipped when its turn
 * comes. A batch already being generated is not a load and runs to its end.
 */
export class SamplerSession {
  private current: Sampler | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private generation = 0;
  /** The load under way, if any: a newer request aborts it. */
  private running: AbortController | undefined;
  private readonly listeners: Array<(s: Sampler) => void> = [];
  /** Every load that actually started, as "source-name/backend": the tests read it to check no skipped choice ran. */
  readonly started: string[] = [];
  /** Every started load a newer request aborted while it ran, as "source-name/backend" (for the tests too). */
  readonly aborted: string[] = [];

  private pendingLoads = 0;

  get sampler(): Sampler | undefined {
    return this.current;
  }

  /** Whether a load is queued or running: the page shows "loading" until the last one settles. */
  busyLoading(): boolean {
    return this.pendingLoads > 0;
  }

  onChange(listener: (s: Sampler) => void): void {
    this.listeners.push(listener);
  }

  private readonly startListeners: Array<() => void> = [];
  /** Called when a load really starts (its turn came and nothing newer was asked for). */
  onLoadStart(listener: () => void): void {
    this.startListeners.push(listener);
  }

  /**
   * Runs `task` after everything queued before it; a failure does not block later tasks. A task queued before a
   * newer load request is skipped (it resolves undefined): that load redraws everything anyway.
   */
  run<T>(task: () => Promise<T>): Promise<T | undefined> {
    const generation = this.generation;
    const guarded = (): Promise<T | undefined> => (generation === this.generation ? task() : Promise.resolve(undefined));
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The visitor came back to what the page already shows: loads asked for before now are dropped (one already
   * running is aborted) and queued renders for them skipped.
   */
  supersede(): void {
    this.generation++;
    this.abortRunning();
  }

  /** Loads a checkpoint on a backend; rejects with LoadSuperseded when a newer load was asked for meanwhile. */
  load(source: CheckpointSource, backend: BackendPreference, name: string): Promise<Sampler> {
    const generation = ++this.generation;
    this.abortRunning();
    const task = async (): Promise<Sampler> => {
      if (generation !== this.generation) throw new LoadSuperseded();
      const label = `${name}/${backend}`;
      this.started.push(label);
      for (const listener of this.startListeners) listener();
      const controller = new AbortController();
      this.running = controller;
      let loaded: Sampler;
      try {
        loaded = await Sampler.load(source, { backend, signal: controller.signal });
      } catch (error) {
        if (!controller.signal.aborted) throw error;
        this.aborted.push(label);
        throw new LoadSuperseded();
      } finally {
        if (this.running === controller) this.running = undefined;
      }
      if (generation !== this.generation) {
        loaded.dispose();
        throw new LoadSuperseded();
      }
      const previous = this.current;
      this.current = loaded;
      // Disposed after the new one holds its backend, so a shared backend is not torn down and restarted.
      previous?.dispose();
      for (const listener of this.listeners) listener(loaded);
      return loaded;
    };
    this.pendingLoads++;
    const next = this.queue.then(task, task).finally(() => this.pendingLoads--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Aborts the running load (Sampler.load rejects, having freed its weights and any backend only it used). */
  private abortRunning(): void {
    this.running?.abort(new LoadSuperseded());
    this.running = undefined;
  }
}
