import { Command, Option } from 'commander';
import type { BackendChoice, OptimizerKind, SslLoss, TrainConfig, TrainModel } from '../run/train-config.js';
import { FIXED_ON_RESUME } from '../run/train-config.js';
import { UsageError } from './usage-error.js';
import { RunError } from '../run/run-error.js';
import {
  DEFAULT_DATASET, DEFAULT_HISTORICAL_AVERAGING, DEFAULT_LABEL_SMOOTHING, DEFAULT_LATENT_DIM, DEFAULT_SEED,
  TRAIN_DEFAULTS, defaultOut, recipeOf,
} from './train-defaults.js';
import { nonNegativeInteger, numberInRange, positiveInteger, positiveNumber, seed } from './value-parsers.js';

export const MODELS: readonly TrainModel[] = ['vanilla', 'dcgan', 'ssgan'];
export const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** The flags as commander hands them over: undefined where the user did not give one. */
export interface TrainFlags {
  model?: TrainModel;
  dataset?: string;
  dataDir?: string;
  epochs?: number;
  steps?: number;
  batchSize?: number;
  lr?: number;
  beta1?: number;
  optimizer?: OptimizerKind;
  latentDim?: number;
  seed?: number;
  out?: string;
  resume?: string;
  checkpointEvery?: number;
  sampleEvery?: number;
  logEvery?: number;
  backend?: BackendChoice;
  quiet?: boolean;
  labelSmoothing?: number | true;
  featureMatching?: boolean;
  minibatchDiscrimination?: boolean;
  historicalAveraging?: number | true;
  sslLoss?: SslLoss;
  labeledCount?: number;
  updateRate?: number;
  supervisedOnly?: boolean;
  evalAverage?: number;
  injectNanAtStep?: number;
}

/** The flags of `forger train`, exactly as issue 4 and issue 6 list them. No commander defaults: see resolveTrainConfig. */
export function addTrainFlags(command: Command): Command {
  return command
    .addOption(new Option('--model <family>', 'GAN family').choices(MODELS))
    .option('--dataset <name|path>', 'mnist (embedded), cifar10, svhn, or the path of an IDX images file (labels beside it)')
    .option('--data-dir <dir>', 'folder of the CIFAR-10 .bin or SVHN .mat files (MNIST is embedded)')
    .option('--epochs <n>', 'train for n passes over the training set', positiveInteger)
    .option('--steps <n>', 'total steps of the run (a resumed run counts its earlier steps)', positiveInteger)
    .option('--batch-size <n>', 'images per step', positiveInteger)
    .option('--lr <rate>', 'learning rate', positiveNumber)
    .option('--beta1 <b>', "Adam's β1", numberInRange(0, 1))
    .addOption(new Option('--optimizer <kind>', 'optimizer of both networks').choices(['adam', 'sgd']))
    .option('--latent-dim <n>', 'size of the noise vector z', positiveInteger)
    .option('--seed <n>', 'seed of every random number of the run', seed)
    .option('--out <dir>', 'run folder (default runs/<dataset>-<model>)')
    .option('--resume <checkpoint>', 'continue a run from one of its checkpoints')
    .option('--checkpoint-every <n>', 'steps between checkpoints', positiveInteger)
    .option('--sample-every <n>', 'steps between sample grids', positiveInteger)
    .option('--log-every <n>', 'steps between metrics lines (each reads the losses back from the device)', positiveInteger)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKENDS))
    .option('--quiet', 'plain progress lines instead of a progress bar')
    .option('--label-smoothing [target]', 'one-sided label smoothing: real target (default 0.9)', numberInRange(0.5, 1))
    .option('--feature-matching', 'generator loss: match the mean features of real and generated batches')
    .option('--minibatch-discrimination', 'add a minibatch-discrimination layer to the discriminator')
    .option('--historical-averaging [weight]', 'penalise distance from the running average of the weights', positiveNumber)
    .addOption(new Option('--ssl-loss <loss>', 'ssgan only: SSGAN-Tensorflow or improved-GAN losses').choices(['ssgan', 'improved']))
    .option('--labeled-count <n>', 'ssgan only: labeled images, balanced over classes', positiveInteger)
    .option('--update-rate <n>', 'ssgan only: generator updates per discriminator update', positiveInteger)
    .option('--supervised-only', 'ssgan only: the baseline: train the same discriminator as a classifier on the labeled images alone')
    .option('--eval-average <rate>', "ssgan only: rate of the moving average of D's weights that forger eval uses (0 = off; improved: 0.001)", numberInRange(0, 1))
    .addOption(new Option('--inject-nan-at-step <n>', 'test only: poison the real batch at step n').argParser(nonNegativeInteger).hideHelp());
}

/**
 * Applies defaults, and on --resume the stored config of the checkpoint, under the flags the user gave.
 * Throws UsageError for combinations that cannot work; it writes nothing, so a bad command line leaves no trace.
 */
export function resolveTrainConfig(flags: TrainFlags, previous?: TrainConfig): TrainConfig {
  if (flags.steps !== undefined && flags.epochs !== undefined) {
    throw new UsageError('give either --steps or --epochs, not both', '--steps');
  }
  if (previous) {
    for (const field of FIXED_ON_RESUME) {
      const given = flags[field];
      if (given !== undefined && given !== previous[field]) {
        throw new UsageError(
          `--${kebab(field)} ${String(given)} differs from the checkpoint's ${previous[field] === undefined ? 'default' : String(previous[field])}: a resumed run keeps its networks, data and seed`,
          `--${kebab(field)}`,
        );
      }
    }
  }
  const model = flags.model ?? previous?.model ?? 'vanilla';
  const sslLoss = model === 'ssgan' ? (flags.sslLoss ?? previous?.sslLoss ?? 'ssgan') : undefined;
  const defaults = TRAIN_DEFAULTS[recipeOf(model, sslLoss)];
  if (model !== 'ssgan') {
    for (const flag of ['sslLoss', 'labeledCount', 'updateRate', 'supervisedOnly', 'evalAverage'] as const) {
      if (flags[flag] !== undefined) throw new UsageError(`--${kebab(flag)} applies to --model ssgan only`, `--${kebab(flag)}`);
    }
  } else if (flags.optimizer === 'sgd') {
    throw new UsageError('--model ssgan trains with Adam only (as SSGAN-Tensorflow and improved-GAN do)', '--optimizer');
  }
  const dataset = flags.dataset ?? previous?.dataset ?? DEFAULT_DATASET;
  const optimizer = flags.optimizer ?? previous?.optimizer ?? defaults.optimizer;
  // a new optimizer without a new --lr takes that optimizer's default rate, not the old optimizer's
  const lr = flags.lr ?? (flags.optimizer !== undefined && flags.optimizer !== previous?.optimizer ? undefined : previous?.lr) ?? defaults.lr[optimizer];
  // --steps or --epochs given now replaces both stored ones
  const lengthGiven = flags.steps !== undefined || flags.epochs !== undefined;
  const steps = lengthGiven ? flags.steps : previous ? previous.steps : undefined;
  const epochs = lengthGiven ? flags.epochs : previous ? previous.epochs : undefined;

  const config: TrainConfig = {
    model,
    dataset,
    dataDir: flags.dataDir ?? previous?.dataDir,
    steps: steps === undefined && epochs === undefined ? defaults.steps : steps,
    epochs,
    batchSize: flags.batchSize ?? previous?.batchSize ?? defaults.batchSize,
    lr,
    beta1: flags.beta1 ?? previous?.beta1 ?? defaults.beta1,
    optimizer,
    latentDim: flags.latentDim ?? previous?.latentDim ?? DEFAULT_LATENT_DIM,
    seed: flags.seed ?? previous?.seed ?? DEFAULT_SEED,
    out: flags.out ?? previous?.out ?? defaultOut(model, dataset),
    checkpointEvery: flags.checkpointEvery ?? previous?.checkpointEvery ?? defaults.checkpointEvery,
    sampleEvery: flags.sampleEvery ?? previous?.sampleEvery ?? defaults.sampleEvery,
    logEvery: flags.logEvery ?? previous?.logEvery ?? defaults.logEvery,
    backend: flags.backend ?? previous?.backend ?? 'auto',
    quiet: flags.quiet ?? false,
    labelSmoothing: optionalValue(flags.labelSmoothing, DEFAULT_LABEL_SMOOTHING) ?? previous?.labelSmoothing ?? 0,
    featureMatching: flags.featureMatching ?? previous?.featureMatching ?? false,
    minibatchDiscrimination: flags.minibatchDiscrimination ?? previous?.minibatchDiscrimination ?? false,
    historicalAveraging: optionalValue(flags.historicalAveraging, DEFAULT_HISTORICAL_AVERAGING) ?? previous?.historicalAveraging ?? 0,
    // the test hook never survives into a resumed run
    injectNanAtStep: flags.injectNanAtStep,
  };
  if (model === 'ssgan') {
    config.sslLoss = sslLoss;
    const labeledCount = flags.labeledCount ?? previous?.labeledCount;
    if (labeledCount !== undefined) config.labeledCount = labeledCount;
    const updateRate = flags.updateRate ?? previous?.updateRate;
    if (updateRate !== undefined) config.updateRate = updateRate;
    const evalAverage = flags.evalAverage ?? previous?.evalAverage;
    if (evalAverage !== undefined) config.evalAverage = evalAverage;
    if (flags.supervisedOnly ?? previous?.supervisedOnly) {
      config.supervisedOnly = true;
      if (flags.out === undefined && previous?.out === undefined) config.out = `${config.out}-baseline`;
    }
  }
  if (config.injectNanAtStep === undefined) delete config.injectNanAtStep;
  if (config.dataDir === undefined) delete config.dataDir;
  if (config.epochs === undefined) delete config.epochs;
  if (config.steps === undefined) delete config.steps;
  return config;
}

/** `--label-smoothing` alone means the default value; `--label-smoothing 0.8` that value. */
function optionalValue(value: number | true | undefined, whenBare: number): number | undefined {
  return value === true ? whenBare : value;
}

function kebab(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The stored config of a checkpoint, checked enough to be merged: an object whose model is one we know. */
export function parseStoredConfig(json: string, where: string): TrainConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new RunError('not-resumable', `${where}: its training config is not JSON, so the run cannot be resumed from it`, where);
  }
  if (typeof value !== 'object' || value === null || !MODELS.includes((value as TrainConfig).model)) {
    throw new RunError('not-resumable', `${where}: its training config names no model forger train knows, so the run cannot be resumed from it`, where);
  }
  return value as TrainConfig;
}
