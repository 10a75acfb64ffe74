import type { TrainConfig } from './train-config.js';
import { TrainingData } from './training-data.js';
import { UsageError } from './usage-error.js';

type LengthFields = Pick<TrainConfig, 'steps' | 'epochs' | 'batchSize'>;

/** The steps of a run: its --steps, or --epochs passes of `stepsPerEpoch` batches. */
export function runLength(config: Pick<TrainConfig, 'steps' | 'epochs'>, stepsPerEpoch: number): number {
  return config.steps ?? (config.epochs ?? 1) * stepsPerEpoch;
}

/** A GAN run's steps over `imageCount` images, counted as TrainingData batches them. */
function ganRunLength(config: LengthFields, imageCount: number): number {
  return runLength(config, TrainingData.batchesPerEpoch(imageCount, config.batchSize));
}

/**
 * Under --lr-decay linear the rates reach 0 at the run's last step, so a resumed run has to end where the checkpoint's
 * run would have: at another length its rates jump at the resume. The lengths are compared in steps, so the same length
 * given another way resumes (--steps 9375 for --epochs 5 of batch 32 on MNIST), and a new --batch-size that changes
 * the steps of the stored --epochs is refused. `steps` is the resumed run's own length, as the run counts it. Throws
 * UsageError (exit 2), before anything is written.
 */
export function checkResumedDecayLength(config: TrainConfig, steps: number, stored: TrainConfig, imageCount: number): void {
  if (config.lrDecay !== 'linear') return;
  const storedSteps = ganRunLength(stored, imageCount);
  if (steps === storedSteps) return;
  const where = config.steps !== undefined ? '--steps' : config.batchSize !== stored.batchSize ? '--batch-size' : '--epochs';
  throw new UsageError(
    'usage',
    `${where} makes the run ${steps} steps long (${lengthOf(config)}), not the checkpoint's ${storedSteps} (${lengthOf(stored)}): ` +
      "under --lr-decay linear the rates fall to 0 at the run's end, so a resumed run keeps its length",
    { where },
  );
}

function lengthOf(config: LengthFields): string {
  return config.steps !== undefined ? `--steps ${config.steps}` : `--epochs ${config.epochs ?? 1} of batch ${config.batchSize}`;
}
