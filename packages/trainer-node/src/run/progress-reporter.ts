import cliProgress from 'cli-progress';
import type { MetricsRecord } from './metrics-log.js';

/** What the trainer tells the user as it goes: a live bar on a terminal, plain lines in a log or with --quiet. */
export interface ProgressReporter {
  /** Called at every logged step with freshly read scalars. */
  update(record: MetricsRecord): void;
  /** Called at every step: moves the bar (no device read; cli-progress redraws at most 10 times a second). */
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
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  return options.stream.isTTY && !options.quiet ? new BarReporter(options) : new LineReporter(options);
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

class BarReporter implements ProgressReporter {
  private readonly bar: cliProgress.SingleBar;
  constructor(private readonly options: ProgressOptions) {
    this.bar = new cliProgress.SingleBar(
      {
        stream: options.stream,
        format:
          'epoch {epoch} |{bar}| step {value}/{total} | d {d_loss} g {g_loss} | D(x) {d_real} D(G(z)) {d_fake} | {ips} img/s | ETA {eta_text}',
        hideCursor: true,
        // the ETA comes from our own images/s; cli-progress's own estimate would count the start-up time
        etaBuffer: 1,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(options.totalSteps, options.startStep, {
      epoch: 0, d_loss: '-', g_loss: '-', d_real: '-', d_fake: '-', ips: '-', eta_text: '?',
    });
  }
  update(record: MetricsRecord): void {
    this.bar.update(record.step, {
      epoch: record.epoch,
      d_loss: record.d_loss.toFixed(3),
      g_loss: record.g_loss.toFixed(3),
      d_real: record.d_real.toFixed(2),
      d_fake: record.d_fake.toFixed(2),
      ips: Math.round(record.images_per_second),
      eta_text: formatDuration(etaSeconds(record, this.options)),
    });
  }
  tick(step: number): void {
    this.bar.update(step);
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
