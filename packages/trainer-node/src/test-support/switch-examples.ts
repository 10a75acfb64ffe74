import { TRAIN_FLAG_ROWS, flagName, type Recipe, type TrainField, type TrainFlagRow, type TrainModel } from '../run/train-flag-table.js';

/**
 * Issue 16's switches against the families, as cells for tests: "a switch that cannot apply to a family is a usage
 * error (exit 2) that says why", and "for every family, a test shows that each switch changes the losses or the
 * parameters". The cells come from the flag table (the rows with a `trick`, their `families`); what the table cannot
 * know, a value of each switch to give and the networks that refuse one, is written here once per switch.
 */

/**
 * A family as `forger train` builds it: each recipe (Forger's default per family, and the sources' own, which train
 * other networks or optimizers), and acgan's convolutional networks.
 */
export type FamilyVariant = Recipe | 'acgan-conv';

export const FAMILY_VARIANTS: Record<FamilyVariant, { model: TrainModel; args: readonly string[] }> = {
  vanilla: { model: 'vanilla', args: ['--model', 'vanilla'] },
  classic: { model: 'vanilla', args: ['--model', 'vanilla', '--recipe', 'classic'] },
  dcgan: { model: 'dcgan', args: ['--model', 'dcgan'] },
  'keras-dcgan-adam': { model: 'dcgan', args: ['--model', 'dcgan', '--architecture', 'keras-dcgan'] },
  'keras-dcgan': { model: 'dcgan', args: ['--model', 'dcgan', '--recipe', 'keras-dcgan'] },
  ssgan: { model: 'ssgan', args: ['--model', 'ssgan'] },
  improved: { model: 'ssgan', args: ['--model', 'ssgan', '--ssl-loss', 'improved'] },
  acgan: { model: 'acgan', args: ['--model', 'acgan'] },
  'acgan-conv': { model: 'acgan', args: ['--model', 'acgan', '--acgan-net', 'conv'] },
};

export const VARIANT_NAMES = Object.keys(FAMILY_VARIANTS) as FamilyVariant[];

/** A switch given: its flags, and those it needs to mean anything, which the run without it gets too. */
export interface SwitchGiven {
  args: readonly string[];
  needs?: readonly string[];
}

/** A switch the variant's networks or recipe refuse in every value but its own: one such value, and the refusal's words. */
export interface SwitchRefused {
  args: readonly string[];
  refused: RegExp;
}

export interface SwitchExample extends SwitchGiven {
  /** where `args` is the variant's own value (no change to show), another; where the variant refuses it, why */
  per?: Partial<Record<FamilyVariant, SwitchGiven | SwitchRefused>>;
}

/** The rows of the flag table that are issue 16's switches. */
export const TRICK_ROWS: readonly [TrainField, TrainFlagRow<unknown>][] = TRAIN_FLAG_ROWS.filter(([, row]) => row.trick !== undefined);

const batchNormNeeded = { args: ['--bn-batches', 'mixed'], needs: ['--norm', 'batch'] };
// classic's D has one hidden layer, its input layer, which batch norm leaves alone; minibatch features also look across the batch
const crossBatchNeeded = { args: ['--bn-batches', 'mixed'], needs: ['--minibatch-discrimination'] };
const noFeatureMaps = /cannot apply to the improved-gan networks: the (generator has no upsampling stage|discriminator has no pooling layer or strided convolution)/;

/**
 * One value per switch that differs from the families' own, with the exceptions per variant. A new trick row without
 * an entry here fails the coverage tests (switch-refusals.test.ts, switches-change-training.test.ts).
 */
export const SWITCH_EXAMPLES: Partial<Record<TrainField, SwitchExample>> = {
  // Forger's vanilla smooths to 0.9 already
  labelSmoothing: { args: ['--label-smoothing', '0.8'] },
  featureMatching: { args: ['--feature-matching'], per: { improved: { args: ['--feature-matching'], refused: /its generator loss is feature matching already/ } } },
  minibatchDiscrimination: { args: ['--minibatch-discrimination'] },
  // three steps: the mean starts at the first step's parameters, so the penalty pulls only from the third
  historicalAveraging: { args: ['--historical-averaging', '1'], needs: ['--steps', '3'] },
  architecture: {
    args: ['--architecture', 'keras-dcgan'],
    per: { 'keras-dcgan-adam': { args: ['--architecture', 'radford'] }, 'keras-dcgan': { args: ['--architecture', 'radford'], refused: /--recipe keras-dcgan trains keras-dcgan's own networks/ } },
  },
  output: { args: ['--output', 'sigmoid'], per: { classic: { args: ['--output', 'tanh'] }, improved: { args: ['--output', 'tanh'] } } },
  latentPrior: { args: ['--latent-prior', 'normal'], per: { vanilla: { args: ['--latent-prior', 'uniform'] }, dcgan: { args: ['--latent-prior', 'uniform'] } } },
  // Forger's vanilla and acgan's networks are LeakyReLU already, acgan's without normalisation
  activation: { args: ['--activation', 'leaky-relu'], per: { vanilla: { args: ['--activation', 'relu'] }, acgan: { args: ['--activation', 'relu'] } } },
  norm: { args: ['--norm', 'none'], per: { vanilla: { args: ['--norm', 'batch'] }, classic: { args: ['--norm', 'batch'] }, acgan: { args: ['--norm', 'batch'] } } },
  bnBatches: {
    args: ['--bn-batches', 'mixed'],
    per: { vanilla: batchNormNeeded, classic: crossBatchNeeded, 'keras-dcgan-adam': batchNormNeeded, 'keras-dcgan': batchNormNeeded, improved: batchNormNeeded, acgan: batchNormNeeded, 'acgan-conv': batchNormNeeded },
  },
  downsample: { args: ['--downsample', 'average-pool'], per: { improved: { args: ['--downsample', 'average-pool'], refused: noFeatureMaps } } },
  upsample: { args: ['--upsample', 'bilinear'], per: { improved: { args: ['--upsample', 'bilinear'], refused: noFeatureMaps } } },
  generatorDropout: { args: ['--generator-dropout', '0.3'] },
  // Forger's vanilla drops 0.3 already
  discriminatorDropout: { args: ['--discriminator-dropout', '0.5'] },
  // ssgan's fake target is 0.1 already
  fakeLabel: { args: ['--fake-label', '0.2'] },
  // a window of 1 differs from the cumulative mean once the mean holds two steps: at the third
  historicalWindow: { args: ['--historical-window', '1'], needs: ['--historical-averaging', '1', '--steps', '3'] },
  gOptimizer: { args: ['--g-optimizer', 'sgd'], per: { 'keras-dcgan': { args: ['--g-optimizer', 'adam'] } } },
  dOptimizer: { args: ['--d-optimizer', 'sgd'], per: { 'keras-dcgan': { args: ['--d-optimizer', 'adam'] } } },
  gLr: { args: ['--g-lr', '0.01'] },
  dLr: { args: ['--d-lr', '0.01'] },
  // two steps: the rate falls from the second
  lrDecay: { args: ['--lr-decay', 'linear'], needs: ['--steps', '2'] },
  // below any loss: the network takes --max-updates-per-step updates every step
  dLossThreshold: { args: ['--d-loss-threshold', '-100'] },
  gLossThreshold: { args: ['--g-loss-threshold', '-100'] },
  // the default cap is 5
  maxUpdatesPerStep: { args: ['--max-updates-per-step', '2'], needs: ['--d-loss-threshold', '-100'] },
  // Forger's vanilla, dcgan and acgan recipes average at 0.001 already: off is the change there (acgan-conv's
  // changes-training runs go without an average, switches-change-training.test.ts, so it takes a rate)
  // two steps: after one the average is the trained weights
  generatorAverage: {
    args: ['--generator-average', '0.01'], needs: ['--steps', '2'],
    per: Object.fromEntries((['vanilla', 'dcgan', 'acgan'] as const).map((variant) => [variant, { args: ['--generator-average', '0'], needs: ['--steps', '2'] }])),
  },
};

export interface SwitchCell {
  field: TrainField;
  flag: string;
  row: TrainFlagRow<unknown>;
  variant: FamilyVariant;
}

/** Every (switch, variant) pair: `applies` where the row's families include the variant's family. */
export function switchCells(): (SwitchCell & { applies: boolean })[] {
  return TRICK_ROWS.flatMap(([field, row]) =>
    VARIANT_NAMES.map((variant) => ({ field, flag: flagName(field), row, variant, applies: row.families === undefined || row.families.includes(FAMILY_VARIANTS[variant].model) })),
  );
}

/** A cell's example: the switch's own, or the variant's exception. */
export function exampleFor(field: TrainField, variant: FamilyVariant): SwitchGiven | SwitchRefused {
  const example = SWITCH_EXAMPLES[field];
  if (!example) throw new Error(`no example value for ${flagName(field)}: add one to SWITCH_EXAMPLES (test-support/switch-examples.ts)`);
  return example.per?.[variant] ?? example;
}
