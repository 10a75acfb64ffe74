import { isNamedDataset } from '@forger/data/node';
import type { BackendChoice } from '../backends/index.js';
import { HEALTH_CONDITIONS, parseHealthConditions, type HealthCondition } from './health-monitor.js';
import { anyFiniteNumber, extraLayerCounts, finiteNumber, nonNegativeInteger, numberInRange, positiveInteger, positiveNumber, seed, unitList, wasmThreadCount } from './value-parsers.js';
import { WASM_THREADS_HELP } from './start-backend.js';

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
/**
 * --model dcgan's two networks: the DCGAN paper's guidelines (radfordDcganSpec, the default since issue 16's 5-epoch
 * runs) or keras-dcgan's (dcganSpec, which `--recipe keras-dcgan` trains).
 */
export type DcganArchitecture = 'keras-dcgan' | 'radford';

/**
 * The recipes with their own defaults: Forger's default for each family (named after it; dcgan's trains the radford
 * architecture), ssgan's two losses apart, keras-dcgan's networks under Forger's Adam (`--architecture keras-dcgan`:
 * keras-dcgan-adam), and the faithful recipes of the sources one `--recipe` away: `classic` (the chapter's vanilla
 * GAN, as in the classic TensorFlow example) and `keras-dcgan` (jacobgil/keras-dcgan's SGD). Issue 16 chose
 * Forger's defaults by the ablation in packages/trainer-node/ablation/.
 */
export type Recipe = 'vanilla' | 'classic' | 'dcgan' | 'keras-dcgan-adam' | 'keras-dcgan' | 'ssgan' | 'improved' | 'acgan';
export const RECIPES: readonly Recipe[] = ['vanilla', 'classic', 'dcgan', 'keras-dcgan-adam', 'keras-dcgan', 'ssgan', 'improved', 'acgan'];

/** What `--recipe` takes: Forger's default, or a faithful recipe of one family. */
export type RecipeChoice = 'forger' | 'classic' | 'keras-dcgan';
export const RECIPE_CHOICES: readonly RecipeChoice[] = ['forger', 'classic', 'keras-dcgan'];
/** The family each faithful recipe belongs to. */
export const FAITHFUL_RECIPE_FAMILY: Record<Exclude<RecipeChoice, 'forger'>, TrainModel> = { classic: 'vanilla', 'keras-dcgan': 'dcgan' };

export function recipeOf(model: TrainModel, sslLoss: SslLoss | undefined, architecture?: DcganArchitecture, choice: RecipeChoice = 'forger'): Recipe {
  if (choice !== 'forger') return choice;
  if (model === 'dcgan' && architecture === 'keras-dcgan') return 'keras-dcgan-adam';
  return model === 'ssgan' && sslLoss === 'improved' ? 'improved' : model;
}

/** The architecture switches (spec-level tricks, @forger/models' ArchitectureOptions): the family's own when absent. */
export type OutputChoice = 'tanh' | 'sigmoid';
export type LatentPriorChoice = 'uniform' | 'normal';
export type ActivationChoice = 'relu' | 'leaky-relu';
export type NormChoice = 'batch' | 'instance' | 'none';
export type BnBatchesChoice = 'separate' | 'mixed';
export type DownsampleChoice = 'max-pool' | 'average-pool' | 'strided';
export type UpsampleChoice = 'nearest' | 'bilinear' | 'transposed' | 'pixel-shuffle';
/** --lr-decay: constant rates, or @forger/models' linear decay to 0 over the run (TrainOptions.learningRateDecaySteps). */
export type LrDecayChoice = 'none' | 'linear';
export const LR_DECAY_CHOICES: readonly LrDecayChoice[] = ['none', 'linear'];
const CONV_FAMILIES: readonly TrainModel[] = ['dcgan', 'ssgan'];
/** The families whose trainers take issue 16's fake-label target, historical window and loss-threshold schedule. */
const GAN_LOOP_FAMILIES: readonly TrainModel[] = ['vanilla', 'dcgan', 'ssgan'];

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
  /** set by some recipes only; the others leave the choice to the family's networks (`otherwise` says what they use) */
  | { someRecipes: Partial<Record<Recipe, T>>; otherwise: string }
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
  /** fixes the networks' shapes, the data or its order, or is one of the chapter's tricks (issue 16: a trick is
   * refused on resume if changed, so a run's recorded recipe is the one it trained with): a resumed run may not change it */
  fixedOnResume?: boolean;
  /** the families it applies to (absent: all); given for another family it is a usage error saying `why` */
  families?: readonly TrainModel[];
  why?: string;
  /** a setting of this process, never taken from a resumed checkpoint's stored config */
  perProcess?: boolean;
  /**
   * A training trick (issue 16): the trick as the chapter's sources state it, with the source, for the root README's
   * table of switches (checked by a test against this table). Forger's own tricks, not the chapter's, say so.
   */
  trick?: string;
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
  // Forger's vanilla: twice the classic rate, with Radford et al. 2015's β1 0.5. Issue 16: at 2e-4 the MLPs were far
  // from converged within the 5-minute budget (FID 154 against 88 at 1e-3 in the same number of steps); with the
  // generator average (--generator-average 0.001) 2e-3 beat 1e-3 on both seeds measured, FID 51.9 against 68.2
  // (seed 42) and 53.1 against 67.9 (seed 7), because the average smooths out the larger steps' noise
  vanilla: { adam: 2e-3, sgd: 2e-3 },
  // the classic TensorFlow vanilla GAN: tf.train.AdamOptimizer() defaults (lr 1e-3, β1 0.9)
  classic: { adam: 1e-3, sgd: 1e-3 },
  // Forger's dcgan trains the radford networks. Radford et al. 2015 (and pytorch/examples dcgan) train at Adam 2e-4,
  // β1 0.5; Forger at 2e-3, at batch 64: after one epoch, FID 60.2 at 2e-4, 35.9 at 5e-4, 25.9 at 1e-3, 21.1 at 2e-3
  // (issue 16, seed 7, README), and 2e-3 stayed ahead of 1e-3 at every epoch to the fifth (README's DCGAN runs)
  dcgan: { adam: 2e-3, sgd: 2e-4 },
  // keras-dcgan's networks under Forger's Adam 2e-4, β1 0.5 (Radford et al. 2015), the dcgan default until issue 16's
  // 5-epoch runs: on an H200 it drew all ten digits where keras-dcgan's SGD missed 0s, 5s and 6s
  'keras-dcgan-adam': { adam: 2e-4, sgd: 5e-4 },
  // keras-dcgan: SGD lr 0.0005, momentum 0.9, Nesterov; with Adam: 2e-4, β1 0.5 (Radford et al. 2015)
  'keras-dcgan': { adam: 2e-4, sgd: 5e-4 },
  // SSGAN-Tensorflow: Adam, G at 2e-4 (D at half, set by @forger/models); Adam only
  ssgan: { adam: 2e-4, sgd: 2e-4 },
  // improved-GAN's MNIST setting (openai/improved-gan train_mnist_feature_matching.py): Adam 3e-3, β1 0.5
  improved: { adam: 3e-3, sgd: 3e-3 },
  // acgan: Adam 5e-4, β1 0.5 (@forger/models' acganOptimizers; mnist-acgan's 2e-4 learned less in the same minutes)
  acgan: { adam: 5e-4, sgd: 5e-4 },
};

/** A dropout rate: in (0, 1); 0 would be a switch that does nothing. */
function dropoutRate(value: string): number {
  const rate = numberInRange(0, 1)(value);
  if (rate === 0) throw new Error(`expected a rate in (0, 1), got "${value}".`);
  return rate;
}

/** A real-image target in [0.5, 1]: 1 is no smoothing, so a recipe that smooths by default can be turned off. */
function realTarget(value: string): number {
  const target = finiteNumber(value);
  if (value.trim() === '' || !(target >= 0.5 && target <= 1)) throw new Error(`expected a target in [0.5, 1] (1: no smoothing), got "${value}".`);
  return target;
}

/** The run folder when --out is not given. */
export function defaultOut(model: TrainModel, dataset: string): string {
  const name = isNamedDataset(dataset) ? dataset : 'custom';
  return `runs/${name}-${model}`;
}

/** The size of z when --latent-dim is not given: every recipe but Forger's vanilla (and @forger/models' default). */
export { DEFAULT_LATENT_DIM } from '@forger/models';
import { DEFAULT_LATENT_DIM, DEFAULT_MAX_UPDATES_PER_STEP, DEFAULT_VANILLA_HIDDEN_UNITS } from '@forger/models';

/** Forger's vanilla recipe's z: FID 47.7 and 49.6 against 51.9 and 53.1 at 100 (seeds 42 and 7, the main job). */
const FORGER_VANILLA_LATENT_DIM = 32;

/**
 * Forger's vanilla recipe's hidden layers: two, 128 then 256 units in G (256 then 128 in D). The main job scored FID
 * 17.8 and 18.9, Inception score 7.21 and 7.24 (seeds 42 and 7) against 47.7 and 49.6, 6.13 and 6.12 with the
 * chapter's one layer of 128, in less time than one layer of 384 (FID 24.7, IS 6.90), whose score had stopped
 * rising by step 10,000 (README, "The tricks, measured").
 */
const FORGER_VANILLA_HIDDEN_UNITS: readonly number[] = [128, 256];
/** The chapter's two-layer MLPs: one hidden layer (@forger/models' default). */
const CLASSIC_HIDDEN_UNITS: readonly number[] = [DEFAULT_VANILLA_HIDDEN_UNITS];

/**
 * Forger's dcgan recipe: three extra layers in G and three in D (WassersteinGAN's --n_extra_layers 3). After five
 * epochs (seed 42, 10,000 samples) its generator average scored FID 1.39 and Inception score 8.68, against 2.41 and 8.39
 * with two each and 5.43 and 7.84 with one; two each had beaten one at every epoch and on two seeds. A step costs
 * about 1.2× the two-layer networks' (README, "The tricks, measured").
 */
const FORGER_DCGAN_EXTRA_LAYERS: readonly [number, number] = [3, 3];

/** Salimans et al. 2016: one-sided label smoothing with a real target of 0.9. */
export const DEFAULT_LABEL_SMOOTHING = 0.9;
/** Salimans et al. 2016 leave the weight free; 1 is the scale of their released code's penalty. */
export const DEFAULT_HISTORICAL_AVERAGING = 1;

/** The chapter's "Adam for G, SGD for D", shared by the optimizer and rate rows of both networks. */
const OPTIMIZER_PER_NETWORK_TRICK = '"Use SGD for discriminator and ADAM for generator" (ganhacks 9)';
const RATE_PER_NETWORK_TRICK = 'a rate for each network, with the optimizer for each (ganhacks 9)';

export const TRAIN_FLAG_TABLE = {
  model: row<TrainModel>({ flag: '--model <family>', description: 'GAN family', choices: MODELS, default: { value: 'vanilla' }, fixedOnResume: true, optional: false }),
  recipe: row<RecipeChoice>({
    flag: '--recipe <name>', description: "forger (Forger's default for the family, chosen by the ablation), or a source's own recipe: classic (vanilla: the chapter's) or keras-dcgan (dcgan: its SGD)",
    choices: RECIPE_CHOICES, default: { value: 'forger' }, fixedOnResume: true, optional: false,
  }),
  dataset: row<string>({
    flag: '--dataset <name|path>', description: 'mnist (embedded), cifar10, svhn, or the path of an IDX images file (labels beside it)',
    parse: (value) => value, default: { value: 'mnist' }, fixedOnResume: true, optional: false,
  }),
  dataDir: row<string>({ flag: '--data-dir <dir>', description: 'folder of the CIFAR-10 .bin or SVHN .mat files (MNIST is embedded)', parse: (value) => value, optional: true }),
  epochs: row<number>({ flag: '--epochs <n>', description: 'train for n passes over the training set (instead of --steps)', parse: positiveInteger, optional: true }),
  steps: row<number>({
    flag: '--steps <n>', description: 'total steps of the run (a resumed run counts its earlier steps)', parse: positiveInteger,
    // Forger's vanilla: 10,000 steps of 64 (10.7 epochs), within the 5-minute budget of issue 16 on wasm;
    // classic: 10,000 steps of 128 (21 epochs), as before;
    // dcgan: one epoch of its batch 32 (1,875 steps); keras-dcgan's networks: one epoch of batch 128 (469 steps);
    // acgan: 8,000 steps of 32 (4.3 epochs): with its generator average, FID 31.1, Inception score 8.45 and class
    // accuracy 91.5 % (seed 42, README), against 192.1, 4.21 and 73.9 % after the 1,750 steps it had before
    default: { perRecipe: { vanilla: 10000, classic: 10000, dcgan: 1875, 'keras-dcgan-adam': 469, 'keras-dcgan': 469, ssgan: 3000, improved: 3000, acgan: 8000 } }, optional: true,
  }),
  batchSize: row<number>({
    flag: '--batch-size <n>', description: 'images per step', parse: positiveInteger,
    // Forger's vanilla 64 (more updates in the 5-minute budget); tensorflow-classic mb_size 128; keras-dcgan BATCH_SIZE 128; Radford et al. 2015 "mini-batch SGD with a mini-batch size of 128"; SSGAN-Tensorflow 64; improved-GAN 100;
    // acgan 32, not mnist-acgan's 100: in the same 10 minutes, more updates learned far more (README's acgan runs);
    // Forger's dcgan 32, half pytorch/examples dcgan's 64: twice the updates per epoch, which the generator average
    // turns into better samples at the same epoch (issue 16, README's DCGAN runs: after one epoch, FID 22.9 against
    // 29.9 at batch 64 for seed 7, 20.2 against 30.3 for seed 42)
    default: { perRecipe: { vanilla: 64, classic: 128, dcgan: 32, 'keras-dcgan-adam': 128, 'keras-dcgan': 128, ssgan: 64, improved: 100, acgan: 32 } }, optional: false,
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
    default: { perRecipe: { vanilla: 0.5, classic: 0.9, dcgan: 0.5, 'keras-dcgan-adam': 0.5, 'keras-dcgan': 0.5, ssgan: 0.5, improved: 0.5, acgan: 0.5 } }, optional: false,
  }),
  optimizer: row<OptimizerKind>({
    flag: '--optimizer <kind>', description: 'optimizer of both networks; sgd is SGD with Nesterov momentum 0.9 (keras-dcgan)', choices: ['adam', 'sgd'],
    default: { perRecipe: { vanilla: 'adam', classic: 'adam', dcgan: 'adam', 'keras-dcgan-adam': 'adam', 'keras-dcgan': 'sgd', ssgan: 'adam', improved: 'adam', acgan: 'adam' } }, optional: false,
  }),
  latentDim: row<number>({
    flag: '--latent-dim <n>', description: 'size of the noise vector z', parse: positiveInteger,
    // Forger's vanilla: 32 scored better than 100 on both seeds measured, and its first layer costs less (README)
    default: { perRecipe: { vanilla: FORGER_VANILLA_LATENT_DIM, classic: DEFAULT_LATENT_DIM, dcgan: DEFAULT_LATENT_DIM, 'keras-dcgan-adam': DEFAULT_LATENT_DIM, 'keras-dcgan': DEFAULT_LATENT_DIM, ssgan: DEFAULT_LATENT_DIM, improved: DEFAULT_LATENT_DIM, acgan: DEFAULT_LATENT_DIM } },
    fixedOnResume: true, optional: false,
  }),
  hiddenUnits: row<readonly number[]>({
    flag: '--hidden-units <n[,n...]>',
    description: "units of the vanilla GAN's hidden layers, z's side first in G, mirrored in D (the chapter's two-layer MLPs have one, of 128)",
    parse: unitList,
    default: { someRecipes: { vanilla: FORGER_VANILLA_HIDDEN_UNITS, classic: CLASSIC_HIDDEN_UNITS }, otherwise: "the family's own layer sizes" },
    families: ['vanilla'], why: 'the other families have layers of their own sizes', fixedOnResume: true, optional: true,
  }),
  extraLayers: row<readonly [number, number]>({
    flag: '--extra-layers <n|g,d>',
    description: "WassersteinGAN's extra layers (its --n_extra_layers): 3×3 stride-1 convolutions with batch norm at G's last hidden stage and after D's first convolution; n in each network, or g in G and d in D",
    parse: extraLayerCounts, default: { someRecipes: { dcgan: FORGER_DCGAN_EXTRA_LAYERS }, otherwise: 'none' },
    families: ['dcgan'], why: "the extra layers deepen the radford networks' convolutions", fixedOnResume: true, optional: true,
  }),
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
    // dcgan: every 6,400 images (200 steps of 32), as every 100 steps did at its batch 64 before; each writes a grid
    default: { perRecipe: { vanilla: 2000, classic: 2000, dcgan: 200, 'keras-dcgan-adam': 100, 'keras-dcgan': 100, ssgan: 500, improved: 500, acgan: 500 } }, optional: false,
  }),
  sampleEvery: row<number>({
    flag: '--sample-every <n>', description: 'steps between sample grids', parse: positiveInteger,
    default: { perRecipe: { vanilla: 1000, classic: 1000, dcgan: 200, 'keras-dcgan-adam': 100, 'keras-dcgan': 100, ssgan: 500, improved: 500, acgan: 500 } }, optional: false,
  }),
  logEvery: row<number>({
    flag: '--log-every <n>', description: 'steps between metrics lines (each reads the losses back from the device)', parse: positiveInteger,
    default: { perRecipe: { vanilla: 100, classic: 100, dcgan: 10, 'keras-dcgan-adam': 10, 'keras-dcgan': 10, ssgan: 50, improved: 50, acgan: 250 } }, optional: false,
  }),
  backend: row<BackendChoice>({
    flag: '--backend <name>', description: 'TensorFlow.js backend; auto tries tensorflow, a GPU (webgpu), then wasm', default: { value: 'auto' }, optional: false,
  }),
  wasmThreads: row<number>({
    flag: '--wasm-threads <n>', description: WASM_THREADS_HELP, parse: wasmThreadCount,
    // the vanilla MLPs' products are too small to split: measured in one `pnpm bench` run, 2,225 img/s on 1 thread
    // against 2,079 on 2 (1,619 against 941 on a busy machine), where keras-dcgan gained 1.34× (bench-cpu/results/)
    default: { someRecipes: { vanilla: 1, classic: 1 }, otherwise: 'one per core (at most 8)' }, perProcess: true, optional: true,
  }),
  quiet: row<boolean>({ flag: '--quiet', description: 'plain progress lines instead of a progress bar', default: { value: false }, perProcess: true, optional: false }),
  stopOn: row<HealthCondition[]>({
    flag: '--stop-on <conditions>',
    description: `stop the run (exit 4) when a training-health condition is confirmed, keeping the last checkpoint from before it began: a comma list of ${HEALTH_CONDITIONS.join(', ')} (README: Training health)`,
    parse: parseHealthConditions, defaultText: 'none: warn only (a NaN loss always stops, exit 3)', perProcess: true, optional: true,
  }),
  labelSmoothing: row<number>({
    trick: 'one-sided label smoothing: smooth the real targets only (to 0.9), leave the fake targets at 0 (Salimans et al. 2016 §3.4)',
    flag: '--label-smoothing [target]', description: 'one-sided label smoothing: the real target (Salimans et al. 2016); 1 turns it off', parse: realTarget,
    // Forger's vanilla recipe smooths (issue 16's ablation); the sources' recipes do not
    whenBare: DEFAULT_LABEL_SMOOTHING, default: { perRecipe: { vanilla: DEFAULT_LABEL_SMOOTHING, classic: 0, dcgan: 0, 'keras-dcgan-adam': 0, 'keras-dcgan': 0, ssgan: 0, improved: 0, acgan: 0 } }, fixedOnResume: true, optional: false,
  }),
  featureMatching: row<boolean>({
    trick: 'feature matching: train G to match the expected value of the features on an intermediate layer of D (Salimans et al. 2016 §3.1)',
    flag: '--feature-matching', description: 'generator loss: match the mean features of real and generated batches', default: { value: false },
    families: ['vanilla', 'dcgan', 'ssgan'], why: "acgan's generator loss is its own (source + class cross-entropy)", fixedOnResume: true, optional: true,
  }),
  minibatchDiscrimination: row<boolean>({
    trick: 'minibatch discrimination: let D look at multiple examples in combination, not in isolation (Salimans et al. 2016 §3.2)',
    flag: '--minibatch-discrimination', description: 'add a minibatch-discrimination layer to the discriminator', default: { value: false }, fixedOnResume: true, optional: false,
  }),
  historicalAveraging: row<number>({
    trick: 'historical averaging: add ‖θ − (1/t) Σ θ[i]‖² to each player\'s cost (Salimans et al. 2016 §3.3)',
    flag: '--historical-averaging [weight]', description: 'penalise distance from the running average of the weights', parse: positiveNumber,
    whenBare: DEFAULT_HISTORICAL_AVERAGING, default: { value: 0 }, families: ['vanilla', 'dcgan', 'ssgan'], why: 'the acgan trainer keeps no weight averages', fixedOnResume: true, optional: true,
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
  architecture: row<DcganArchitecture>({
    trick: '"Use DCGAN when you can. It works!" (ganhacks 7): strided convolutions, batch norm, ReLU in G with a tanh output, LeakyReLU in D, Adam 2e-4 with β1 0.5 (Radford et al. 2015)',
    flag: '--architecture <name>', description: "the DCGAN paper's guidelines (radford: strided and transposed convs, batch norm in G and D, ReLU/tanh G, LeakyReLU D, N(0, 1) z; Forger adds three extra 3×3 layers to each (--extra-layers) and trains them at batch 32 with Adam 2e-3, β1 0.5, sampled from a generator average), or keras-dcgan's networks (keras-dcgan-adam in the defaults: Adam 2e-4, β1 0.5 at batch 128; --recipe keras-dcgan for its SGD)",
    choices: ['radford', 'keras-dcgan'],
    // radford since issue 16's runs (after one epoch, seed 7: FID 21.1 against 105.6 for keras-dcgan's networks with
    // Adam); the recipe depends on the architecture, so resolveTrainConfig decides it (train-flags.ts, defaultArchitecture)
    defaultText: 'radford; keras-dcgan with --recipe keras-dcgan', fixedOnResume: true, families: ['dcgan'], why: 'only the DCGAN family has two architectures', optional: true,
  }),
  output: row<OutputChoice>({
    trick: '"normalize the images between -1 and 1; Tanh as the last layer of the generator output" (ganhacks 1)',
    flag: '--output <activation>', description: "G's output: tanh with pixels in [-1, 1], or sigmoid with [0, 1] (the data are scaled to match)", choices: ['tanh', 'sigmoid'],
    default: { someRecipes: { vanilla: 'tanh' }, otherwise: "the family's: classic and improved sigmoid, dcgan and ssgan tanh" }, fixedOnResume: true, optional: true,
  }),
  latentPrior: row<LatentPriorChoice>({
    trick: '"Dont sample from a Uniform distribution … Sample from a gaussian distribution" (ganhacks 3)',
    flag: '--latent-prior <prior>', description: 'z ~ U(-1, 1) or N(0, 1)', choices: ['uniform', 'normal'],
    default: { someRecipes: { vanilla: 'normal' }, otherwise: "the family's: dcgan's radford networks normal; classic, keras-dcgan's networks, ssgan, improved and acgan uniform" }, fixedOnResume: true, optional: true,
  }),
  activation: row<ActivationChoice>({
    trick: '"LeakyReLU = good (in both G and D)" (ganhacks 5)',
    flag: '--activation <kind>', description: "every hidden activation of G and D: ReLU, or LeakyReLU with slope 0.2 (G's output stays)", choices: ['relu', 'leaky-relu'],
    default: { someRecipes: { vanilla: 'leaky-relu' }, otherwise: "the family's" }, fixedOnResume: true, optional: true,
  }),
  norm: row<NormChoice>({
    trick: '"when batchnorm is not an option use instance normalization" (ganhacks 4)',
    flag: '--norm <kind>', description: "normalisation after every hidden layer but G's output and D's input (instance: conv layers only)", choices: ['batch', 'instance', 'none'],
    defaultText: "the family's", fixedOnResume: true, optional: true,
  }),
  bnBatches: row<BnBatchesChoice>({
    trick: '"Construct different mini-batches for real and fake, i.e. each mini-batch needs to contain only all real images or all generated images" (ganhacks 4)',
    flag: '--bn-batches <mode>', description: "D's batch norm sees separate all-real and all-generated batches, or one mixed batch", choices: ['separate', 'mixed'],
    defaultText: 'separate', fixedOnResume: true, optional: true,
  }),
  downsample: row<DownsampleChoice>({
    trick: '"For Downsampling, use: Average Pooling, Conv2d + stride" (ganhacks 5; max-pool is keras-dcgan\'s)',
    flag: '--downsample <mode>', description: 'how D halves its feature maps', choices: ['max-pool', 'average-pool', 'strided'],
    defaultText: 'keras-dcgan max-pool, radford and ssgan strided', fixedOnResume: true, families: CONV_FAMILIES, why: 'the vanilla GAN has no feature maps, and acgan keeps its measured networks', optional: true,
  }),
  upsample: row<UpsampleChoice>({
    trick: '"For Upsampling, use: PixelShuffle, ConvTranspose2d + stride" (ganhacks 5; nearest is keras-dcgan\'s)',
    flag: '--upsample <mode>', description: 'how G doubles its feature maps', choices: ['nearest', 'bilinear', 'transposed', 'pixel-shuffle'],
    defaultText: 'keras-dcgan nearest, radford and ssgan transposed', fixedOnResume: true, families: CONV_FAMILIES, why: 'the vanilla GAN has no feature maps, and acgan keeps its measured networks', optional: true,
  }),
  generatorDropout: row<number>({
    trick: '"Provide noise in the form of dropout (50%). Apply on several layers of our generator at both training and test time" (ganhacks 17)',
    flag: '--generator-dropout <rate>', description: 'dropout after every hidden layer of G, on at sampling time too (Isola et al. 2017)',
    parse: dropoutRate, defaultText: 'off', fixedOnResume: true, optional: true,
  }),
  discriminatorDropout: row<number>({
    trick: 'not the chapter\'s: dropout in D is Forger\'s vanilla recipe (its ablation: FID −105 alone on the classic recipe)',
    flag: '--discriminator-dropout <rate>', description: 'dropout after every hidden layer of D, in training only; 0 turns it off',
    parse: numberInRange(0, 1), default: { someRecipes: { vanilla: 0.3 }, otherwise: 'off' }, fixedOnResume: true,
    families: ['vanilla', 'dcgan'], why: 'the semi-supervised discriminators have dropout or Gaussian noise of their own, and acgan keeps its measured networks (--acgan-net conv has mnist-acgan\'s dropout)', optional: true,
  }),
  // The training-loop tricks of issue 16 (the chapter's): each maps onto a TrainOptions field of @forger/models.
  fakeLabel: row<number>({
    trick: 'two-sided label smoothing, 0.9 for real and 0.1 for fake (which Salimans et al. 2016 §3.4 advise against; ganhacks 6 draws soft labels at random)',
    flag: '--fake-label <target>', description: "the generated images' target; 0.1 with --label-smoothing 0.9 is the two-sided smoothing the chapter quotes (Salimans et al. 2016 §3.4)",
    parse: numberInRange(0, 0.5), defaultText: 'vanilla, dcgan, improved 0; ssgan 0.1 (SSGAN-Tensorflow)',
    families: GAN_LOOP_FAMILIES, why: "acgan's source loss keeps mnist-acgan's targets", fixedOnResume: true, optional: true,
  }),
  historicalWindow: row<number>({
    trick: 'historical averaging over the last t steps: θ[i] is the value of the parameters at past time i (Salimans et al. 2016 §3.3)',
    flag: '--historical-window <t>', description: 'historical averaging over the last t steps, (1/t) Σ θ[i] (Salimans et al. 2016 §3.3); needs --historical-averaging',
    parse: positiveInteger, defaultText: 'the cumulative mean of every step', fixedOnResume: true,
    families: GAN_LOOP_FAMILIES, why: 'the acgan trainer keeps no weight averages', optional: true,
  }),
  gOptimizer: row<OptimizerKind>({
    trick: OPTIMIZER_PER_NETWORK_TRICK,
    flag: '--g-optimizer <kind>', description: "the generator's optimizer (the chapter: Adam for G, SGD for D)", choices: ['adam', 'sgd'], defaultText: '--optimizer', fixedOnResume: true, optional: true,
  }),
  dOptimizer: row<OptimizerKind>({
    trick: OPTIMIZER_PER_NETWORK_TRICK,
    flag: '--d-optimizer <kind>', description: "the discriminator's optimizer (the chapter: Adam for G, SGD for D)", choices: ['adam', 'sgd'], defaultText: '--optimizer', fixedOnResume: true, optional: true,
  }),
  gLr: row<number>({
    trick: RATE_PER_NETWORK_TRICK,
    flag: '--g-lr <rate>', description: "the generator's learning rate", parse: positiveNumber,
    defaultText: "--lr; on another optimizer than --optimizer, the recipe's rate for that optimizer", optional: true,
  }),
  dLr: row<number>({
    trick: RATE_PER_NETWORK_TRICK,
    flag: '--d-lr <rate>', description: "the discriminator's learning rate", parse: positiveNumber,
    defaultText: "--lr (ssgan: half of it); on another optimizer than --optimizer, the recipe's rate for that optimizer", optional: true,
  }),
  lrDecay: row<LrDecayChoice>({
    trick: "not the chapter's: the learning rates fall in a straight line to 0 at the run's end",
    flag: '--lr-decay <schedule>',
    description: "none: constant learning rates; linear: both networks' rates fall in a straight line from their value at the first step to 0 at the run's last (its --steps or --epochs; a resumed run keeps that many steps)",
    choices: LR_DECAY_CHOICES, default: { value: 'none' }, fixedOnResume: true, optional: false,
  }),
  dLossThreshold: row<number>({
    trick: '"while lossD > A: train D" (ganhacks 11, which advises against it without a principled approach)',
    flag: '--d-loss-threshold <a>',
    description: "update D while its loss on the step's batch is above a, 0 to --max-updates-per-step times (ganhacks, quoted by the chapter); reads the losses back from the device before every update",
    parse: anyFiniteNumber, defaultText: 'off', families: GAN_LOOP_FAMILIES, why: 'the acgan trainer updates each network once a step', fixedOnResume: true, optional: true,
  }),
  gLossThreshold: row<number>({
    trick: '"while lossG > B: train G" (ganhacks 11)',
    flag: '--g-loss-threshold <b>',
    description: "update G while its loss on the step's batch is above b, 0 to --max-updates-per-step times (ganhacks, quoted by the chapter); reads the losses back from the device before every update",
    parse: anyFiniteNumber, defaultText: 'off', families: GAN_LOOP_FAMILIES, why: 'the acgan trainer updates each network once a step', fixedOnResume: true, optional: true,
  }),
  maxUpdatesPerStep: row<number>({
    trick: 'not the chapter\'s: Forger\'s bound on the two loops above, so a step always ends',
    flag: '--max-updates-per-step <n>', description: "the cap on each network's updates per step under --d-loss-threshold or --g-loss-threshold", parse: positiveInteger,
    defaultText: String(DEFAULT_MAX_UPDATES_PER_STEP), families: GAN_LOOP_FAMILIES, why: 'the acgan trainer updates each network once a step', fixedOnResume: true, optional: true,
  }),
  acganNet: row<'mlp' | 'conv'>({
    flag: '--acgan-net <kind>', description: "acgan's networks: the MLP (trains in minutes on wasm) or tfjs-examples' mnist-acgan convolutional pair",
    choices: ['mlp', 'conv'], default: { value: 'mlp' }, fixedOnResume: true, families: ['acgan'], why: 'only the acgan family has these two network pairs', optional: true,
  }),
  generatorAverage: row<number>({
    trick: 'not the chapter\'s: sampling from a moving average of G\'s weights (Yazıcı et al. 2019)',
    flag: '--generator-average <rate>',
    description: "rate of the moving average of G's weights that samples, grids and the exported model are drawn from (Yazıcı et al. 2019): the plain mean for the first 1/rate steps, then an EMA; 0 = off (the trained weights)",
    // Forger's vanilla, dcgan and acgan average (issue 16's measurements: vanilla FID 93.7 → 68.2 at 0.001, seed 42;
    // dcgan: FID 16.6 → 15.1 at 5 epochs, README's DCGAN runs); the sources' recipes do not
    parse: numberInRange(0, 1), default: { perRecipe: { vanilla: 0.001, classic: 0, dcgan: 0.001, 'keras-dcgan-adam': 0, 'keras-dcgan': 0, ssgan: 0, improved: 0, acgan: 0.001 } }, fixedOnResume: true, optional: false,
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
  if ('someRecipes' in d) return d.someRecipes[context.recipe];
  return d.derive(context);
}

/** A row's default in words, as --help and the README's flag table show it: "vanilla 128, dcgan 128, ssgan 64, improved 100". */
export function describeDefault(row: TrainFlagRow<unknown>): string {
  const d = row.default;
  if (row.defaultText !== undefined) return row.defaultText;
  if (d === undefined) return '';
  // a trick's off value reads "off": false, or 0 for a flag whose bare form turns it on
  const words = (value: unknown): string => (value === false || (value === 0 && row.whenBare !== undefined) ? 'off' : String(value));
  if ('value' in d) {
    if (row.whenBare !== undefined) return `off; bare flag ${words(row.whenBare)}`;
    return words(d.value);
  }
  if ('perRecipe' in d) {
    const values = RECIPES.map((recipe) => d.perRecipe[recipe]);
    if (values.every((value) => value === values[0])) return words(values[0]);
    const each = RECIPES.map((recipe, i) => `${recipe} ${words(values[i])}`).join(', ');
    return row.whenBare !== undefined ? `${each}; bare flag ${words(row.whenBare)}` : each;
  }
  if ('someRecipes' in d) {
    const set = RECIPES.filter((recipe) => d.someRecipes[recipe] !== undefined).map((recipe) => `${recipe} ${words(d.someRecipes[recipe])}`);
    return `${set.join(', ')}; otherwise ${d.otherwise}`;
  }
  return d.text;
}

/** The families a row applies to, as the root README's table of switches names them. */
export function describeFamilies(row: TrainFlagRow<unknown>): string {
  return row.families === undefined ? 'every family' : row.families.join(', ');
}

/** The fields that fix the networks' shapes, the data or its order: a resumed run may not change them. */
export const FIXED_ON_RESUME: readonly TrainField[] = TRAIN_FLAG_ROWS.filter(([, r]) => r.fixedOnResume).map(([field]) => field);

/** "--batch-size" of "batchSize". */
export function flagName(field: TrainField): string {
  return TRAIN_FLAG_TABLE[field].flag.split(' ')[0]!;
}
