import { isNamedDataset } from '@forger/data/node';
import type { BackendChoice } from '../backends/index.js';
import { nonNegativeInteger, numberInRange, positiveInteger, positiveNumber, seed } from './value-parsers.js';

/**
 * THE table of `forger train`'s flags (issue 15 item 4): one row per field of a training run's config. The
 * commander options and their help (src/cli/train-flags.ts), the TrainConfig type and FIXED_ON_RESUME
 * (train-config.ts), the defaults, the family checks and the README's flag table (checked by a test) all come
 * from here, so a flag is written once.
 */

/** The GAN families `forger train` knows; 'classifier' checkpoints come from the supervised baseline, not from train. */
export type TrainModel = 'vanilla' | 'dcgan' | 'ssgan' | 'acgan';
export type OptimizerKind = 'adam' | 'sgd';
export type SslLoss = 'ssgan' | 'improved';
export const MODELS: readonly TrainModel[] = ['vanilla', 'dcgan', 'ssgan', 'acgan'];

/** The recipes with their own defaults: the four families, and ssgan's two losses apart. */
export type Recipe = 'vanilla' | 'dcgan' | 'ssgan' | 'improved' | 'acgan';
export const RECIPES: readonly Recipe[] = ['vanilla', 'dcgan', 'ssgan', 'improved', 'acgan'];

export function recipeOf(model: TrainModel, sslLoss: SslLoss | undefined): Recipe {
  return model === 'ssgan' && sslLoss === 'improved' ? 'improved' : model;
}

/** What a default may depend on: the family and its recipe, the dataset, the optimizer chosen. */
export interface DefaultContext {
  model: TrainModel;
  recipe: Recipe;
  dataset: string;
  optimizer: OptimizerKind;
  supervisedOnly: boolean;
}

/** A default: one value, one per recipe, or computed (with the words the help and README print for it). */
export type FlagDefault<T> =
  | { value: T }
  | { perRecipe: Record<Recipe, T> }
  | { derive: (context: DefaultContext) => T; text: string };

export interface TrainFlagRow<T> {
  /** commander's spelling: "--batch-size <n>", "--label-smoothing [target]", "--quiet" */
  flag: string;
  description: string;
  /** the value's parser (throws with what was expected); absent for switches and choices */
  parse?: (value: string) => T;
  choices?: readonly T[];
  /** an optional-value flag given bare ("--label-smoothing") means this */
  whenBare?: T;
  default?: FlagDefault<T>;
  /** words for a default that lives elsewhere (@forger/models' trainers), for the help and README */
  defaultText?: string;
  /** fixes the networks' shapes, the data or its order: a resumed run may not change it */
  fixedOnResume?: boolean;
  /** the families it applies to (absent: all); given for another family it is a usage error saying `why` */
  families?: readonly TrainModel[];
  why?: string;
  /** a setting of this process, never taken from a resumed checkpoint's stored config */
  perProcess?: boolean;
  /** not in --help (test hooks) */
  hidden?: boolean;
  /** absent from a resolved config when not given and without a default */
  optional: boolean;
}

function row<T>(spec: TrainFlagRow<T> & { optional: false }): TrainFlagRow<T> & { optional: false };
function row<T>(spec: TrainFlagRow<T> & { optional: true }): TrainFlagRow<T> & { optional: true };
function row<T>(spec: TrainFlagRow<T>): TrainFlagRow<T> {
  return spec;
}

/** Learning rates per recipe and optimizer (lr's default depends on both). */
const LEARNING_RATES: Record<Recipe, Record<OptimizerKind, number>> = {
  // the classic TensorFlow vanilla GAN: tf.train.AdamOptimizer() defaults (lr 1e-3, β1 0.9)
  vanilla: { adam: 1e-3, sgd: 1e-3 },
  // keras-dcgan: SGD lr 0.0005, momentum 0.9, Nesterov; with Adam: 2e-4, β1 0.5 (Radford et al. 2015)
  dcgan: { adam: 2e-4, sgd: 5e-4 },
  // SSGAN-Tensorflow: Adam, G at 2e-4 (D at half, set by @forger/models); Adam only
  ssgan: { adam: 2e-4, sgd: 2e-4 },
  // improved-GAN's MNIST setting (openai/improved-gan train_mnist_feature_matching.py): Adam 3e-3, β1 0.5
  improved: { adam: 3e-3, sgd: 3e-3 },
  // acgan: Adam 5e-4, β1 0.5 (@forger/models' acganOptimizers; mnist-acgan's 2e-4 learned less in the same minutes)
  acgan: { adam: 5e-4, sgd: 5e-4 },
};

/** The run folder when --out is not given. */
export function defaultOut(model: TrainModel, dataset: string): string {
  const name = isNamedDataset(dataset) ? dataset : 'custom';
  return `runs/${name}-${model}`;
}

/** The size of z when --latent-dim is not given: the latent default of every family (and of @forger/models). */
export { DEFAULT_LATENT_DIM } from '@forger/models';
import { DEFAULT_LATENT_DIM } from '@forger/models';

/** Salimans et al. 2016: one-sided label smoothing with a real target of 0.9. */
export const DEFAULT_LABEL_SMOOTHING = 0.9;
/** Salimans et al. 2016 leave the weight free; 1 is the scale of their released code's penalty. */
export const DEFAULT_HISTORICAL_AVERAGING = 1;

export const TRAIN_FLAG_TABLE = {
  model: row<TrainModel>({ flag: '--model <family>', description: 'GAN family', choices: MODELS, default: { value: 'vanilla' }, fixedOnResume: true, optional: false }),
  dataset: row<string>({
    flag: '--dataset <name|path>', description: 'mnist (embedded), cifar10, svhn, or the path of an IDX images file (labels beside it)',
    parse: (value) => value, default: { value: 'mnist' }, fixedOnResume: true, optional: false,
  }),
  dataDir: row<string>({ flag: '--data-dir <dir>', description: 'folder of the CIFAR-10 .bin or SVHN .mat files (MNIST is embedded)', parse: (value) => value, optional: true }),
  epochs: row<number>({ flag: '--epochs <n>', description: 'train for n passes over the training set (instead of --steps)', parse: positiveInteger, optional: true }),
  steps: row<number>({
    flag: '--steps <n>', description: 'total steps of the run (a resumed run counts its earlier steps)', parse: positiveInteger,
    // 10,000 vanilla steps: 21 epochs of MNIST, about 2 minutes at wasm's ~10,000 img/s on a quiet 2-core machine (README);
    // dcgan: one epoch of keras-dcgan's batch 128 (469 steps)
    // acgan: 1,750 steps of 32 (~1 epoch): what 10 minutes of wasm reached here on 2 cores shared with other runs (README)
    default: { perRecipe: { vanilla: 10000, dcgan: 469, ssgan: 3000, improved: 3000, acgan: 1750 } }, optional: true,
  }),
  batchSize: row<number>({
    flag: '--batch-size <n>', description: 'images per step', parse: positiveInteger,
    // tensorflow-classic mb_size 128; keras-dcgan BATCH_SIZE 128; SSGAN-Tensorflow 64; improved-GAN 100;
    // acgan 32, not mnist-acgan's 100: in the same 10 minutes, more updates learned far more (README's acgan runs)
    default: { perRecipe: { vanilla: 128, dcgan: 128, ssgan: 64, improved: 100, acgan: 32 } }, optional: false,
  }),
  lr: row<number>({
    flag: '--lr <rate>', description: "learning rate (ssgan: the generator's; D runs at half of it)", parse: positiveNumber,
    default: {
      derive: ({ recipe, optimizer }) => LEARNING_RATES[recipe][optimizer],
      text: RECIPES.map((recipe) => {
        const { adam, sgd } = LEARNING_RATES[recipe];
        return adam === sgd ? `${recipe} ${adam}` : `${recipe} sgd ${sgd}, adam ${adam}`;
      }).join('; '),
    },
    optional: false,
  }),
  beta1: row<number>({
    flag: '--beta1 <b>', description: "Adam's β1", parse: numberInRange(0, 1),
    default: { perRecipe: { vanilla: 0.9, dcgan: 0.5, ssgan: 0.5, improved: 0.5, acgan: 0.5 } }, optional: false,
  }),
  optimizer: row<OptimizerKind>({
    flag: '--optimizer <kind>', description: 'optimizer of both networks; sgd is SGD with Nesterov momentum 0.9 (keras-dcgan)', choices: ['adam', 'sgd'],
    default: { perRecipe: { vanilla: 'adam', dcgan: 'sgd', ssgan: 'adam', improved: 'adam', acgan: 'adam' } }, optional: false,
  }),
  latentDim: row<number>({ flag: '--latent-dim <n>', description: 'size of the noise vector z', parse: positiveInteger, default: { value: DEFAULT_LATENT_DIM }, fixedOnResume: true, optional: false }),
  seed: row<number>({ flag: '--seed <n>', description: 'seed of every random number of the run', parse: seed, default: { value: 42 }, fixedOnResume: true, optional: false }),
  out: row<string>({
    flag: '--out <dir>', description: 'run folder; with --resume, the checkpoint\'s run folder', parse: (value) => value,
    default: {
      derive: ({ model, dataset, supervisedOnly }) => `${defaultOut(model, dataset)}${supervisedOnly ? '-baseline' : ''}`,
      text: 'runs/<dataset>-<model>',
    },
    optional: false,
  }),
  checkpointEvery: row<number>({
    flag: '--checkpoint-every <n>', description: 'steps between checkpoints', parse: positiveInteger,
    default: { perRecipe: { vanilla: 2000, dcgan: 100, ssgan: 500, improved: 500, acgan: 500 } }, optional: false,
  }),
  sampleEvery: row<number>({
    flag: '--sample-every <n>', description: 'steps between sample grids', parse: positiveInteger,
    default: { perRecipe: { vanilla: 1000, dcgan: 100, ssgan: 500, improved: 500, acgan: 500 } }, optional: false,
  }),
  logEvery: row<number>({
    flag: '--log-every <n>', description: 'steps between metrics lines (each reads the losses back from the device)', parse: positiveInteger,
    default: { perRecipe: { vanilla: 100, dcgan: 10, ssgan: 50, improved: 50, acgan: 250 } }, optional: false,
  }),
  backend: row<BackendChoice>({
    flag: '--backend <name>', description: 'TensorFlow.js backend; auto tries tensorflow, a GPU (webgpu), then wasm', default: { value: 'auto' }, optional: false,
  }),
  quiet: row<boolean>({ flag: '--quiet', description: 'plain progress lines instead of a progress bar', default: { value: false }, perProcess: true, optional: false }),
  labelSmoothing: row<number>({
    flag: '--label-smoothing [target]', description: 'one-sided label smoothing: the real target (Salimans et al. 2016)', parse: numberInRange(0.5, 1),
    whenBare: DEFAULT_LABEL_SMOOTHING, default: { value: 0 }, optional: false,
  }),
  featureMatching: row<boolean>({
    flag: '--feature-matching', description: 'generator loss: match the mean features of real and generated batches', default: { value: false },
    families: ['vanilla', 'dcgan', 'ssgan'], why: "acgan's generator loss is its own (source + class cross-entropy)", optional: true,
  }),
  minibatchDiscrimination: row<boolean>({
    flag: '--minibatch-discrimination', description: 'add a minibatch-discrimination layer to the discriminator', default: { value: false }, fixedOnResume: true, optional: false,
  }),
  historicalAveraging: row<number>({
    flag: '--historical-averaging [weight]', description: 'penalise distance from the running average of the weights', parse: positiveNumber,
    whenBare: DEFAULT_HISTORICAL_AVERAGING, default: { value: 0 }, families: ['vanilla', 'dcgan', 'ssgan'], why: 'the acgan trainer keeps no weight averages', optional: true,
  }),
  sslLoss: row<SslLoss>({
    flag: '--ssl-loss <loss>', description: 'SSGAN-Tensorflow or improved-GAN losses', choices: ['ssgan', 'improved'], default: { value: 'ssgan' },
    fixedOnResume: true, families: ['ssgan'], why: 'the other families have no classifying discriminator', optional: true,
  }),
  labeledCount: row<number>({
    flag: '--labeled-count <n>', description: 'labeled images, balanced over classes', parse: positiveInteger, defaultText: 'all labeled',
    fixedOnResume: true, families: ['ssgan'], why: 'only the semi-supervised GAN reads labels', optional: true,
  }),
  updateRate: row<number>({
    flag: '--update-rate <n>', description: 'generator updates per discriminator update', parse: positiveInteger, defaultText: 'ssgan 2, improved 1',
    families: ['ssgan'], why: 'the other families update each network once a step', optional: true,
  }),
  supervisedOnly: row<boolean>({
    flag: '--supervised-only', description: 'the baseline: train the same discriminator as a classifier on the labeled images alone', defaultText: 'off',
    fixedOnResume: true, families: ['ssgan'], why: 'the baseline is that of the semi-supervised GAN', optional: true,
  }),
  evalAverage: row<number>({
    flag: '--eval-average <rate>', description: "rate of the moving average of D's weights that forger eval uses (0 = off)", parse: numberInRange(0, 1),
    defaultText: 'improved 0.001, ssgan off', fixedOnResume: true, families: ['ssgan'], why: 'forger eval classifies with ssgan discriminators only', optional: true,
  }),
  acganNet: row<'mlp' | 'conv'>({
    flag: '--acgan-net <kind>', description: "acgan's networks: the MLP (trains in minutes on wasm) or tfjs-examples' mnist-acgan convolutional pair",
    choices: ['mlp', 'conv'], default: { value: 'mlp' }, fixedOnResume: true, families: ['acgan'], why: 'only the acgan family has these two network pairs', optional: true,
  }),
  injectNanAtStep: row<number>({
    flag: '--inject-nan-at-step <n>', description: 'test only: poison the real batch at step n', parse: nonNegativeInteger, perProcess: true, hidden: true, optional: true,
  }),
} as const;

export type TrainField = keyof typeof TRAIN_FLAG_TABLE;
type Rows = typeof TRAIN_FLAG_TABLE;
type RowValue<R> = R extends TrainFlagRow<infer T> ? T : never;
type RequiredField = { [K in TrainField]: Rows[K] extends { optional: false } ? K : never }[TrainField];
type OptionalField = Exclude<TrainField, RequiredField>;

/** The rows in table order, typed loosely for code that walks all of them. */
export const TRAIN_FLAG_ROWS = Object.entries(TRAIN_FLAG_TABLE) as [TrainField, TrainFlagRow<unknown>][];

/**
 * Every option of a training run, resolved (defaults applied): one field per row of the table. Stored as JSON in
 * each checkpoint's training.configJson, so `--resume` can reuse the flags the user does not repeat.
 */
export type TrainConfig = { [K in RequiredField]: RowValue<Rows[K]> } & { [K in OptionalField]?: RowValue<Rows[K]> };

/** The flags as commander hands them over: undefined where not given; `true` for a bare optional-value flag. */
export type TrainFlags = { [K in TrainField]?: RowValue<Rows[K]> | (Rows[K] extends { whenBare: unknown } ? true : never) } & {
  /** --resume is not a setting of the run but where it starts from */
  resume?: string;
};

/** The default of a row in a context; undefined when it has none here (the trainer's own applies). */
export function defaultOf<T>(row: TrainFlagRow<T>, context: DefaultContext): T | undefined {
  const d = row.default;
  if (d === undefined) return undefined;
  if ('value' in d) return d.value;
  if ('perRecipe' in d) return d.perRecipe[context.recipe];
  return d.derive(context);
}

/** A row's default in words, as --help and the README's flag table show it: "vanilla 128, dcgan 128, ssgan 64, improved 100". */
export function describeDefault(row: TrainFlagRow<unknown>): string {
  const d = row.default;
  if (row.defaultText !== undefined) return row.defaultText;
  if (d === undefined) return '';
  const words = (value: unknown): string => (value === false ? 'off' : String(value));
  if ('value' in d) {
    if (row.whenBare !== undefined) return `off; bare flag ${words(row.whenBare)}`;
    return words(d.value);
  }
  if ('perRecipe' in d) {
    const values = RECIPES.map((recipe) => d.perRecipe[recipe]);
    if (values.every((value) => value === values[0])) return words(values[0]);
    return RECIPES.map((recipe, i) => `${recipe} ${words(values[i])}`).join(', ');
  }
  return d.text;
}

/** The fields that fix the networks' shapes, the data or its order: a resumed run may not change them. */
export const FIXED_ON_RESUME: readonly TrainField[] = TRAIN_FLAG_ROWS.filter(([, r]) => r.fixedOnResume).map(([field]) => field);

/** "--batch-size" of "batchSize". */
export function flagName(field: TrainField): string {
  return TRAIN_FLAG_TABLE[field].flag.split(' ')[0]!;
}
