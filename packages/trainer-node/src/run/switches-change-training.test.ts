import { describe, expect, it } from 'vitest';
import type { Dataset } from '@forger/data';
import { RECIPES, recipeOf } from './train-flag-table.js';
import { resolveTrainConfig } from '../cli/train-flags.js';
import { parseTrainFlags } from '../test-support/run-cli.js';
import {
  FAMILY_VARIANTS, SWITCH_EXAMPLES, TRICK_ROWS, VARIANT_NAMES, exampleFor, switchCells, type FamilyVariant, type SwitchGiven,
} from '../test-support/switch-examples.js';
import { tinyDataset, trainFromFlags, type TrainedFromFlags } from '../test-support/train-from-flags.js';

/**
 * Issue 16: "No switch may be accepted and then ignored: for every family, a test shows that each switch changes the
 * losses or the parameters." Generated from the flag table: every row with a trick, on every variant of every family
 * in its `families`, given as `forger train` flags and trained a step or three through the CLI's own path from flags to
 * spec, trainer options and steps (trainFromFlags), against the same run without it from the same seed.
 */

/**
 * Each variant as small as its networks allow, on wasm (tfjs's cpu backend takes seconds per convolutional step), for
 * one step: the switches that act later ask for more (switch-examples.ts: --historical-averaging, --lr-decay, …).
 */
const RUN: Record<FamilyVariant, { size: number; args: readonly string[]; droppedBy?: readonly string[] }> = {
  vanilla: { size: 8, args: [] },
  classic: { size: 8, args: [] },
  // one extra layer in D, not three in each: its batch norm is what --bn-batches acts on; keras-dcgan's networks
  // (--architecture keras-dcgan) take no extra layers
  dcgan: { size: 12, args: ['--extra-layers', '0,1'], droppedBy: ['--architecture'] },
  // 12×12: keras-dcgan's 5×5 valid convolutions need more than 8×8
  'keras-dcgan-adam': { size: 12, args: [] },
  'keras-dcgan': { size: 12, args: [] },
  ssgan: { size: 8, args: [] },
  improved: { size: 8, args: [] },
  acgan: { size: 8, args: [] },
  // 20×20, the smallest it takes; without its default generator average, whose batch-norm statistics are estimated
  // over several batches whenever the average is lent (15 s a step here, 0.8 s without): the --generator-average
  // cell gives its own rate, and so is compared against no average
  'acgan-conv': { size: 20, args: ['--generator-average', '0'], droppedBy: ['--generator-average'] },
};

const COMMON = ['--backend', 'wasm', '--batch-size', '4', '--steps', '1', '--seed', '3'];

const datasets = new Map<number, Dataset>();
const datasetOf = (size: number): Dataset => {
  if (!datasets.has(size)) datasets.set(size, tinyDataset({ size, count: 8, classes: 3 }));
  return datasets.get(size)!;
};

/** `forger train` of a variant at its small size with `flags`: the arguments and the dataset. */
function runOf(variant: FamilyVariant, flags: readonly string[]): { args: string[]; dataset: Dataset } {
  const run = RUN[variant];
  const small = run.droppedBy?.some((flag) => flags.includes(flag)) ? [] : run.args;
  return { args: [...FAMILY_VARIANTS[variant].args, ...small, ...COMMON, ...flags], dataset: datasetOf(run.size) };
}

/** Runs of the same flags are the same run: each plain run (a variant with what a switch needs) is trained once. */
const runs = new Map<string, Promise<TrainedFromFlags>>();
function train(variant: FamilyVariant, flags: readonly string[]): Promise<TrainedFromFlags> {
  const { args, dataset } = runOf(variant, flags);
  const key = args.join(' ');
  if (!runs.has(key)) runs.set(key, trainFromFlags(args, dataset));
  return runs.get(key)!;
}

const differ = (a: Float32Array[], b: Float32Array[]): boolean => a.length !== b.length || a.some((w, i) => w.length !== b[i]!.length || w.some((x, j) => x !== b[i]![j]));

const CELLS = switchCells().filter((cell) => cell.applies);
const GIVEN = CELLS.filter((cell) => !('refused' in exampleFor(cell.field, cell.variant)));

describe('every switch changes training on every family it applies to (issue 16)', () => {
  it('has an example value for every switch of the flag table, and a variant for every recipe', () => {
    expect(Object.keys(SWITCH_EXAMPLES).sort()).toEqual(TRICK_ROWS.map(([field]) => field).sort());
    for (const recipe of RECIPES) {
      expect(VARIANT_NAMES).toContain(recipe);
      const config = resolveTrainConfig(parseTrainFlags([...FAMILY_VARIANTS[recipe].args]));
      expect(recipeOf(config.model, config.sslLoss, config.architecture, config.recipe)).toBe(recipe);
    }
    // the cells a variant refuses are switch-refusals.test.ts's; the others are trained below
    expect(GIVEN.length).toBeGreaterThan(CELLS.length / 2);
  });

  it.each(VARIANT_NAMES)('%s: the same flags train the same (a difference below is the switch\'s)', async (variant) => {
    const { args, dataset } = runOf(variant, []);
    const [a, b] = [await train(variant, []), await trainFromFlags(args, dataset)];
    // compared bit for bit with a plain loop: toEqual walks millions of weights element by element (a minute for the
    // convolutional acgan)
    expect(b.losses).toEqual(a.losses);
    expect(differ(b.trained, a.trained) || differ(b.sampled, a.sampled)).toBe(false);
    expect(a.losses.every(Number.isFinite)).toBe(true);
  }, 60_000);

  describe.each(GIVEN.map((cell) => [`${cell.flag} on ${cell.variant}`, cell] as const))('%s', (_name, { field, variant }) => {
    const { args, needs = [] } = exampleFor(field, variant) as SwitchGiven;
    it(`${[...needs, ...args].join(' ')} changes ${field === 'generatorAverage' ? 'the sampled generator' : 'the losses or the parameters'}`, async () => {
      const plain = await train(variant, needs);
      const switched = await train(variant, [...needs, ...args]);
      expect(switched.losses.every(Number.isFinite)).toBe(true);
      if (field === 'generatorAverage') {
        // by design it leaves training alone: what changes is the generator samples and the export are drawn from
        expect(switched.losses).toEqual(plain.losses);
        expect(differ(switched.sampled, plain.sampled)).toBe(true);
      } else {
        expect(switched.losses.some((x, i) => x !== plain.losses[i]) || differ(switched.trained, plain.trained)).toBe(true);
      }
    }, 60_000);
  });
});
