import { Command, Option } from 'commander';
import {
  FAITHFUL_RECIPE_FAMILY, FIXED_ON_RESUME, MODELS, TRAIN_FLAG_ROWS, TRAIN_FLAG_TABLE, defaultOf, describeDefault, flagName, recipeOf,
  type DcganArchitecture, type DefaultContext, type RecipeChoice, type TrainConfig, type TrainField, type TrainFlagRow, type TrainFlags,
} from '../run/train-flag-table.js';
import { RunError } from '../run/run-error.js';
import { checkTrickCombinations } from '../run/trick-combinations.js';
import { usesWasmThreads, wasmThreadsUnused } from '../run/start-backend.js';
import type { BackendChoice } from '../backends/index.js';
import { backendOption } from './backend-option.js';
import { UsageError } from '../run/usage-error.js';
import { commanderParser } from './value-parsers.js';

export type { TrainFlags } from '../run/train-flag-table.js';

/** The help line of a row: what it does, which families it applies to, and its default. */
export function flagHelp(row: TrainFlagRow<unknown>): string {
  const only = row.families ? `${row.families.join(', ')} only: ` : '';
  const byDefault = describeDefault(row);
  return `${only}${row.description}${byDefault ? ` (default: ${byDefault})` : ''}`;
}

/**
 * The flags of `forger train`, one per row of the flag table, plus --resume. No commander defaults: a flag not
 * given stays undefined, so that resolveTrainConfig can tell it from a stored one on --resume.
 */
export function addTrainFlags(command: Command): Command {
  for (const [field, row] of TRAIN_FLAG_ROWS) {
    // --backend: the one definition every command shares (its choices are src/backends')
    const option = field === 'backend' ? backendOption(undefined, flagHelp(row)) : new Option(row.flag, flagHelp(row));
    if (row.choices && field !== 'backend') option.choices(row.choices as string[]);
    else if (row.parse) option.argParser(commanderParser(row.parse));
    if (row.hidden) option.hideHelp();
    command.addOption(option);
    if (field === 'out') command.option('--resume <checkpoint>', 'continue a run from one of its checkpoints; flags not given are taken from it');
  }
  return command;
}

/**
 * The flags that shape only what the supervised baseline (`--supervised-only`) does not have: a generator, its
 * samples and generated batches. The baseline builds the discriminator alone (classifierSpec keeps no generator
 * layers), so these are refused when given, not accepted and ignored (issue 16). The GAN training tricks it cannot
 * take are refused on the resolved config, by checkTrickCombinations.
 */
const BASELINE_HAS_NO_PART_FOR: readonly (readonly [TrainField, string])[] = [
  ['latentDim', "sizes the generator's input"],
  ['latentPrior', "draws the generator's input"],
  ['upsample', "shapes the generator's layers"],
  ['generatorDropout', 'is dropout in the generator'],
  ['bnBatches', "splits the discriminator's batches into real and generated ones"],
  ['updateRate', "sets the generator's updates per step"],
  ['sampleEvery', "sets how often the generator's samples are drawn"],
];

/**
 * Applies defaults, and on --resume the stored config of the checkpoint, under the flags the user gave.
 * Throws UsageError for combinations that cannot work; it writes nothing, so a bad command line leaves no trace.
 */
export function resolveTrainConfig(flags: TrainFlags, previous?: TrainConfig): TrainConfig {
  if (flags.steps !== undefined && flags.epochs !== undefined) {
    throw new UsageError('usage', 'give either --steps or --epochs, not both', { where: '--steps' });
  }
  if (previous) {
    for (const field of FIXED_ON_RESUME) {
      const given = flags[field];
      if (given !== undefined && !sameValue(given, previous[field])) {
        throw new UsageError('usage', `${flagName(field)} ${String(given)} differs from the checkpoint's ${previous[field] === undefined ? 'default' : String(previous[field])}: a resumed run keeps its networks, data and seed`, { where: flagName(field) }
        );
      }
    }
  }
  const given = (field: TrainField): unknown => {
    const value = flags[field];
    const { whenBare } = TRAIN_FLAG_TABLE[field] as TrainFlagRow<unknown>;
    return value === true && whenBare !== undefined ? whenBare : value;
  };
  const model = (flags.model ?? previous?.model ?? 'vanilla');
  for (const [field, row] of TRAIN_FLAG_ROWS) {
    if (row.families && !row.families.includes(model) && flags[field] !== undefined) {
      throw new UsageError('usage', `${flagName(field)} applies to --model ${row.families.join(', ')} only: ${row.why}`, { where: flagName(field) });
    }
  }
  if (model === 'ssgan' && flags.optimizer === 'sgd') {
    throw new UsageError('usage', '--model ssgan trains with Adam only (as SSGAN-Tensorflow and improved-GAN do)', { where: '--optimizer' });
  }
  const sslLoss = model === 'ssgan' ? (flags.sslLoss ?? previous?.sslLoss ?? 'ssgan') : undefined;
  const recipeChoice = flags.recipe ?? previous?.recipe ?? (previous ? faithfulRecipeOfOldRun(model) : 'forger');
  if (recipeChoice !== 'forger' && FAITHFUL_RECIPE_FAMILY[recipeChoice] !== model) {
    throw new UsageError('usage', `--recipe ${recipeChoice} is a recipe of --model ${FAITHFUL_RECIPE_FAMILY[recipeChoice]}, not of ${model}`, { where: '--recipe' });
  }
  const architecture = model === 'dcgan' ? (flags.architecture ?? previous?.architecture ?? defaultArchitecture(recipeChoice, previous)) : undefined;
  if (recipeChoice === 'keras-dcgan' && architecture === 'radford') {
    // named by --architecture, the switch refused (issue 16: a refusal names the flag and says why)
    throw new UsageError('usage', "--architecture radford: --recipe keras-dcgan trains keras-dcgan's own networks; the radford networks are Forger's dcgan recipe (leave out --recipe)", { where: '--architecture' });
  }
  if (architecture === 'keras-dcgan' && flags.extraLayers !== undefined) {
    throw new UsageError('usage', "--extra-layers deepens the radford networks (the default); keras-dcgan's networks keep their measured layers", { where: '--extra-layers' });
  }
  const recipe = recipeOf(model, sslLoss, architecture, recipeChoice);
  const context: DefaultContext = {
    model, recipe, dataset: 'mnist', optimizer: 'adam', supervisedOnly: model === 'ssgan' && (flags.supervisedOnly ?? previous?.supervisedOnly) === true,
  };
  if (context.supervisedOnly && flags.stopOn !== undefined) {
    throw new UsageError('usage', "--stop-on watches a GAN's losses and samples; the supervised baseline has neither (a NaN loss stops it anyway)", { where: '--stop-on' });
  }
  if (context.supervisedOnly) {
    const unused = BASELINE_HAS_NO_PART_FOR.find(([field]) => flags[field] !== undefined);
    if (unused) {
      throw new UsageError('usage', `${flagName(unused[0])} ${unused[1]}: --supervised-only trains the discriminator alone as a classifier, with no generator`, { where: flagName(unused[0]) });
    }
  }
  const pick = (field: TrainField): unknown => {
    const row = TRAIN_FLAG_TABLE[field] as TrainFlagRow<unknown>;
    return given(field) ?? (row.perProcess ? undefined : previous?.[field]) ?? defaultOf(row, context);
  };
  context.dataset = pick('dataset') as string;
  context.optimizer = pick('optimizer') as DefaultContext['optimizer'];

  const config: Record<string, unknown> = {};
  for (const [field, row] of TRAIN_FLAG_ROWS) {
    if (row.families && !row.families.includes(model)) continue;
    const value = pick(field);
    if (value !== undefined) config[field] = value;
  }
  // dcgan's networks, resolved above with their default (the recipe's defaults depend on them)
  if (architecture !== undefined) config['architecture'] = architecture;
  // a new optimizer without a new --lr takes that optimizer's default rate, not the old optimizer's
  if (flags.lr === undefined && flags.optimizer !== undefined && flags.optimizer !== previous?.optimizer) {
    config['lr'] = defaultOf(TRAIN_FLAG_TABLE.lr, context);
  }
  // --steps or --epochs given now replaces both stored ones; neither anywhere: the recipe's steps
  const lengthGiven = flags.steps !== undefined || flags.epochs !== undefined;
  const steps = lengthGiven ? flags.steps : previous?.steps;
  const epochs = lengthGiven ? flags.epochs : previous?.epochs;
  delete config['steps'];
  delete config['epochs'];
  if (steps !== undefined) config['steps'] = steps;
  if (epochs !== undefined) config['epochs'] = epochs;
  if (steps === undefined && epochs === undefined) config['steps'] = defaultOf(TRAIN_FLAG_TABLE.steps, context);
  if (!context.supervisedOnly) delete config['supervisedOnly'];
  // given with a backend without wasm threads, --wasm-threads is an error; a recipe's default simply does not apply
  const backend = config['backend'] as BackendChoice;
  if (!usesWasmThreads(backend)) {
    if (flags.wasmThreads !== undefined) throw wasmThreadsUnused(backend);
    delete config['wasmThreads'];
  }
  // a dcgan checkpoint from before --extra-layers has none, whatever the recipe's default is now
  if (previous && previous.extraLayers === undefined && flags.extraLayers === undefined) delete config['extraLayers'];
  // a checkpoint from before --generator-average was trained without one, whatever a recipe's default is now
  if (previous && previous.generatorAverage === undefined && flags.generatorAverage === undefined) config['generatorAverage'] = 0;
  config['recipe'] = recipeChoice;
  checkTrickCombinations(config as TrainConfig);
  return config as TrainConfig;
}

/**
 * --model dcgan's networks when --architecture is not given: keras-dcgan's for its faithful recipe, and for a
 * checkpoint written before --architecture existed (keras-dcgan's were then the only ones); otherwise the radford
 * networks, Forger's dcgan default since issue 16's 5-epoch runs.
 */
function defaultArchitecture(recipeChoice: RecipeChoice, previous: TrainConfig | undefined): DcganArchitecture {
  return recipeChoice === 'keras-dcgan' || previous !== undefined ? 'keras-dcgan' : 'radford';
}

/**
 * The recipe of a checkpoint written before `--recipe` existed: its family's faithful recipe, whose defaults it was
 * trained with (the vanilla and dcgan defaults changed with issue 16), so a resumed run keeps them.
 */
function faithfulRecipeOfOldRun(model: string): RecipeChoice {
  if (model === 'vanilla') return 'classic';
  if (model === 'dcgan') return 'keras-dcgan';
  return 'forger';
}

/** The stored config of a checkpoint, checked enough to be merged: an object whose model is one we know. */
export function parseStoredConfig(json: string, where: string): TrainConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new RunError('not-resumable', `${where}: its training config is not JSON, so the run cannot be resumed from it`, { where });
  }
  if (typeof value !== 'object' || value === null || !MODELS.includes((value as TrainConfig).model)) {
    throw new RunError('not-resumable', `${where}: its training config names no model forger train knows, so the run cannot be resumed from it`, { where });
  }
  const config = value as TrainConfig & { hiddenUnits?: unknown };
  // checkpoints written before --hidden-units took a list of layers stored one width
  if (typeof config.hiddenUnits === 'number') config.hiddenUnits = [config.hiddenUnits];
  // checkpoints written before --lr-decay trained at constant rates
  config.lrDecay ??= 'none';
  return config;
}

/** Equal flag values: numbers, strings and booleans by value, lists (--hidden-units) element by element. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
