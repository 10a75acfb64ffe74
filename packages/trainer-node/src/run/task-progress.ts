import cliProgress from 'cli-progress';
import { Pace, formatDuration, secondsLeft } from './pace.js';

/** Progress of a long command that is not training (score, eval, a large generate): a bar on a terminal, else a few lines. */
export interface TaskProgress {
  /** `units` more are done */
  advance(units: number): void;
  stop(): void;
}

export interface TaskProgressOptions {
  /** what is being done, e.g. "scoring" */
  label: string;
  total: number;
  /** what is counted, e.g. "images" */
  unit: string;
  /** stderr: the commands' stdout may be JSON */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** ms; tests pass a fake one */
  clock?: () => number;
}

/** Off a terminal (a log, CI), a line at every tenth of the work: enough to see it move, never a line per image. */
const LINE_EVERY = 0.1;

export function createTaskProgress(options: TaskProgressOptions): TaskProgress {
  return options.stream.isTTY ? new TaskBar(options) : new TaskLines(options);
}

/** The line of a non-terminal: `scoring: 3000/20000 images (15%), 1520 images/s, eta 11s`. */
export function formatTaskLine(options: Pick<TaskProgressOptions, 'label' | 'total' | 'unit'>, done: number, perSecond: number): string {
  const percent = Math.floor((100 * done) / options.total);
  const rate = Number.isFinite(perSecond) ? `, ${Math.round(perSecond)} ${options.unit}/s` : '';
  const eta = done < options.total ? `, eta ${formatDuration(secondsLeft(options.total - done, perSecond))}` : '';
  return `${options.label}: ${done}/${options.total} ${options.unit} (${percent}%)${rate}${eta}`;
}

class TaskLines implements TaskProgress {
  private done = 0;
  private nextLine: number;
  private readonly pace: Pace;
  constructor(private readonly options: TaskProgressOptions) {
    this.pace = new Pace(0, options.clock);
    this.nextLine = Math.max(1, Math.ceil(options.total * LINE_EVERY));
  }
  advance(units: number): void {
    this.done += units;
    const perSecond = this.pace.note(this.done);
    if (this.done < this.nextLine) return;
    this.options.stream.write(`${formatTaskLine(this.options, this.done, perSecond)}\n`);
    const step = Math.max(1, Math.ceil(this.options.total * LINE_EVERY));
    while (this.nextLine <= this.done) this.nextLine += step;
  }
  stop(): void {}
}

class TaskBar implements TaskProgress {
  private done = 0;
  private readonly pace: Pace;
  private readonly bar: cliProgress.SingleBar;
  constructor(private readonly options: TaskProgressOptions) {
    this.pace = new Pace(0, options.clock);
    this.bar = new cliProgress.SingleBar(
      {
        stream: options.stream,
        format: `${options.label} |{bar}| {value}/{total} ${options.unit} | {rate} ${options.unit}/s | ETA {eta_text}`,
        hideCursor: true,
        etaBuffer: 1,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(options.total, 0, { rate: '-', eta_text: '?' });
  }
  advance(units: number): void {
    this.done += units;
    const perSecond = this.pace.note(this.done);
    this.bar.update(this.done, {
      rate: Number.isFinite(perSecond) ? Math.round(perSecond) : '-',
      eta_text: formatDuration(secondsLeft(this.options.total - this.done, perSecond)),
    });
  }
  stop(): void {
    this.bar.stop();
  }
}
