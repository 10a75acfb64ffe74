/**
 * How fast work goes, from wall time: units (steps, images) per second over the last few seconds, so that a slow
 * first step (kernel compilation, a GPU warming up) stops weighing on the rate and the ETA once it is past.
 */
export class Pace {
  /** (time in ms, units done) at most every SAMPLE_MS; the oldest kept is at most WINDOW_MS old, or the first */
  private readonly samples: { time: number; done: number }[] = [];

  constructor(
    startDone: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.samples.push({ time: clock(), done: startDone });
  }

  /** Records progress; returns units per second (NaN until some time has passed). */
  note(done: number): number {
    const now = this.clock();
    const last = this.samples[this.samples.length - 1]!;
    if (now - last.time >= SAMPLE_MS) this.samples.push({ time: now, done });
    while (this.samples.length > 2 && now - this.samples[1]!.time >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (now - first.time) / 1000;
    return seconds > 0 && done > first.done ? (done - first.done) / seconds : Number.NaN;
  }
}

const SAMPLE_MS = 250;
const WINDOW_MS = 10_000;

/** Seconds left for `remaining` units at `perSecond`; NaN when the pace is not known yet. */
export function secondsLeft(remaining: number, perSecond: number): number {
  return perSecond > 0 ? remaining / perSecond : Number.NaN;
}

/** "1m05s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
