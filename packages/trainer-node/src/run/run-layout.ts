import { join } from 'node:path';

/**
 * Where a run puts its files inside `--out`. One place, so the trainer, the tests and the README agree:
 *
 *   checkpoints/step-00000500.forger   full training state, the last K kept
 *   final.forger                       the last state of the run (also resumable)
 *   final.web.forger                   generator only, float16: what the browser demo loads
 *   samples/step-00000500.png          grid from the fixed sample noise
 *   final.png                          grid of the final generator, same noise
 *   metrics.jsonl                      one JSON object per logged step
 *   events.out.tfevents.<time>.<host>  the same scalars and the sample grids for TensorBoard (one file per
 *                                      start or resume of the run)
 *   report.html                        self-contained report: curves, grids, config, score (`forger report`)
 *   final.score.json                   what `forger score --checkpoint final.forger` reported, when it was run
 */
export class RunLayout {
  constructor(readonly folder: string) {}

  get checkpointFolder(): string {
    return join(this.folder, 'checkpoints');
  }
  get sampleFolder(): string {
    return join(this.folder, 'samples');
  }
  get finalCheckpoint(): string {
    return join(this.folder, 'final.forger');
  }
  get webExport(): string {
    return join(this.folder, 'final.web.forger');
  }
  get finalGrid(): string {
    return join(this.folder, 'final.png');
  }
  get metrics(): string {
    return join(this.folder, 'metrics.jsonl');
  }
  get report(): string {
    return join(this.folder, 'report.html');
  }

  stepCheckpoint(step: number): string {
    return join(this.checkpointFolder, `step-${padStep(step)}.forger`);
  }
  sampleGrid(step: number): string {
    return join(this.sampleFolder, `step-${padStep(step)}.png`);
  }
}

/** Zero-padded so that a plain `ls` lists checkpoints in step order. */
function padStep(step: number): string {
  return String(step).padStart(8, '0');
}

const STEP_FILE = /^step-(\d+)\.forger$/;

/** The step of a step-checkpoint file name, or undefined for any other name. */
export function stepOfCheckpointName(name: string): number | undefined {
  const match = STEP_FILE.exec(name);
  return match ? Number(match[1]) : undefined;
}
