import cliProgress from 'cli-progress';
import type { MetricsRecord } from './metrics-log.js';
import { Pace, formatDuration, secondsLeft } from './pace.js';

export { formatDuration } from './pace.js';

/** What the trainer tells the user as it goes: a live bar on a terminal, plain lines in a log or with --quiet. */
export interface ProgressReporter {
  /** Called at every logged step with freshly read scalars. */
  update(record: MetricsRecord): void;
  /** Called at every step between log steps: moves the bar, its img/s and ETA (wall time, no device read; cli-progress redraws at most 5 times a second). */
  tick(step: number): void;
  /** A message that must not be overwritten by the bar (checkpoint written, backend chosen). */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  totalSteps: number;
  startStep: number;
  /** wall_time_s already spent before this process (a resumed run): records count the whole run's time */
  startWallTimeS: number;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** --quiet: plain periodic lines even on a terminal */
  quiet: boolean;
  /** images per step, for the bar's img/s between log steps */
  batchSize: number;
  /** ms; tests pass a fake one */
  clock?: () => number;
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  return options.stream.isTTY && !options.quiet ? new BarReporter(options) : new LineReporter(options);
}

/** The rest of the run at this process's average pace (the time of earlier processes of a resumed run left out). */
function etaSeconds(record: MetricsRecord, options: Pick<ProgressOptions, 'totalSteps' | 'startStep' | 'startWallTimeS'>): number {
  const doneThisRun = record.step - options.startStep;
  const secondsThisRun = record.wall_time_s - options.startWallTimeS;
  if (doneThisRun <= 0 || secondsThisRun <= 0) return Number.NaN;
  return ((options.totalSteps - record.step) * secondsThisRun) / doneThisRun;
}

/** One line per logged step, greppable: `step 500/3000 epoch 1 d_loss 0.5123 ...`. */
export function formatProgressLine(record: MetricsRecord, options: Pick<ProgressOptions, 'totalSteps' | 'startStep' | 'startWallTimeS'>): string {
  return (
    `step ${record.step}/${options.totalSteps} epoch ${record.epoch} ` +
    `d_loss ${record.d_loss.toFixed(4)} g_loss ${record.g_loss.toFixed(4)} ` +
    `D(x) ${record.d_real.toFixed(3)} D(G(z)) ${record.d_fake.toFixed(3)} ` +
    `${Math.round(record.images_per_second)} img/s eta ${formatDuration(etaSeconds(record, options))}`
  );
}

class LineReporter implements ProgressReporter {
  constructor(private readonly options: ProgressOptions) {}
  update(record: MetricsRecord): void {
    this.options.stream.write(`${formatProgressLine(record, this.options)}\n`);
  }
  tick(): void {}
  note(line: string): void {
    this.options.stream.write(`${line}\n`);
  }
  stop(): void {}
}

/**
 * The live bar: step, img/s and ETA advance at every step, from wall time; the losses are those of the last log
 * step, marked with it (`d 1.234 g 0.712 … @step 400`), since reading them back every step would drain a GPU's
 * queue each step (issue 17 item 3).
 */
class BarReporter implements ProgressReporter {
  private readonly bar: cliProgress.SingleBar;
  private readonly pace: Pace;
  private epoch = 0;
  private losses = 'losses at the first log step';
  constructor(private readonly options: ProgressOptions) {
    this.pace = new Pace(options.startStep, options.clock);
    this.bar = new cliProgress.SingleBar(
      {
        stream: options.stream,
        format: 'epoch {epoch} |{bar}| step {value}/{total} | {ips} img/s | ETA {eta_text} | {losses}',
        hideCursor: true,
        // the ETA is ours, from the recent pace; cli-progress's own estimate would count the start-up time
        etaBuffer: 1,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(options.totalSteps, options.startStep, { epoch: 0, ips: '-', eta_text: '?', losses: this.losses });
  }
  update(record: MetricsRecord): void {
    this.epoch = record.epoch;
    this.losses =
      `d ${record.d_loss.toFixed(3)} g ${record.g_loss.toFixed(3)} ` +
      `D(x) ${record.d_real.toFixed(2)} D(G(z)) ${record.d_fake.toFixed(2)} @step ${record.step}`;
    this.tick(record.step);
  }
  tick(step: number): void {
    const stepsPerSecond = this.pace.note(step);
    this.bar.update(step, {
      epoch: this.epoch,
      ips: Number.isFinite(stepsPerSecond) ? Math.round(stepsPerSecond * this.options.batchSize) : '-',
      eta_text: formatDuration(secondsLeft(this.options.totalSteps - step, stepsPerSecond)),
      losses: this.losses,
    });
  }
  note(line: string): void {
    // cli-progress redraws on the current line: clear it, print the note, redraw below
    this.options.stream.write(`\r\x1b[2K${line}\n`);
    this.bar.render();
  }
  stop(): void {
    this.bar.stop();
  }
}
