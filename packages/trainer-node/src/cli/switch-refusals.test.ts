import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes.js';
import { forger } from '../test-support/run-cli.js';
import { writeIdxDataset } from '../test-support/idx-dataset.js';
import { FAMILY_VARIANTS, SWITCH_EXAMPLES, TRICK_ROWS, exampleFor, switchCells, type FamilyVariant, type SwitchRefused } from '../test-support/switch-examples.js';

/**
 * Issue 16: "A switch that cannot apply to a family is a usage error (exit 2) that says why." Generated from the flag
 * table: every row with a trick, on every variant of every family outside its `families`, exits 2 naming the flag
 * and giving the row's `why`; and where a variant's networks or recipe refuse a switch its family takes
 * (switch-examples.ts), that refusal too. Nothing is written: every refusal comes before the run folder.
 */

let dataset: string;
let folder: string;
beforeAll(async () => {
  // 8×8 images: the refusals of the networks come after the dataset is loaded, and MNIST would load 60,000
  dataset = await writeIdxDataset([8, 8], { count: 8, classes: 3 });
  folder = await mkdtemp(join(tmpdir(), 'forger-refusals-'));
});

async function refused(variant: FamilyVariant, flags: readonly string[]): Promise<string> {
  const out = join(folder, 'never');
  const { code, err } = await forger('train', ...FAMILY_VARIANTS[variant].args, '--backend', 'cpu', '--dataset', dataset, '--steps', '1', '--quiet', '--out', out, ...flags);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(code).toBe(ExitCode.usage);
  await expect(access(out)).rejects.toThrow();
  return err;
}

const CELLS = switchCells();

describe('a switch that cannot apply to a family exits 2 saying why (issue 16)', () => {
  it('has an example value for every switch of the flag table', () => {
    expect(Object.keys(SWITCH_EXAMPLES).sort()).toEqual(TRICK_ROWS.map(([field]) => field).sort());
  });

  // the switch alone: what it needs (--historical-averaging for --historical-window) may be refused for the family too
  it.each(CELLS.filter((cell) => !cell.applies).map((cell) => [cell.flag, cell.variant, cell] as const))('%s on %s: refused by the flag table', async (_flag, variant, { field, flag, row }) => {
    const example = exampleFor(field, variant);
    if ('refused' in example) throw new Error(`${flag} on ${variant}: a refusal of a family the row excludes is the row's own`);
    const err = await refused(variant, example.args);
    expect(err).toBe(`error: ${flag} applies to --model ${row.families!.join(', ')} only: ${row.why} (see: forger train --help)\n`);
  });

  it.each(CELLS.filter((cell) => cell.applies && 'refused' in exampleFor(cell.field, cell.variant)).map((cell) => [cell.flag, cell.variant, cell] as const))(
    '%s on %s: refused by its networks or recipe',
    async (_flag, variant, { field, flag }) => {
      const { args, refused: why } = exampleFor(field, variant) as SwitchRefused;
      const err = await refused(variant, args);
      expect(err.startsWith(`error: ${flag} `)).toBe(true);
      expect(err).toMatch(why);
    },
  );

  // Values one variant's networks cannot take, where another value of the same switch trains (the cells above hold
  // the switch's example value, switches-change-training.test.ts shows that one changes training)
  it.each<[FamilyVariant, string[], RegExp]>([
    ['vanilla', ['--norm', 'instance'], /^error: --norm instance cannot apply to the tensorflow-classic networks: instance norm normalises feature maps/],
    ['classic', ['--norm', 'instance'], /^error: --norm instance cannot apply to the tensorflow-classic networks: /],
    ['improved', ['--norm', 'instance'], /^error: --norm instance cannot apply to the improved-gan networks: /],
    ['acgan', ['--norm', 'instance'], /^error: --norm instance cannot apply to the mlp networks: instance norm normalises feature maps/],
    ['improved', ['--downsample', 'strided'], /^error: --downsample strided cannot apply to the improved-gan networks: /],
    ['improved', ['--upsample', 'transposed'], /^error: --upsample transposed cannot apply to the improved-gan networks: /],
    // --bn-batches without batch norm (or minibatch discrimination) in D: the switch would choose nothing
    ['vanilla', ['--bn-batches', 'mixed'], /^error: --bn-batches applies to a discriminator with batch norm .*: add --norm batch/],
    ['classic', ['--norm', 'batch', '--bn-batches', 'mixed'], /^error: --bn-batches applies to a discriminator with batch norm .* the tensorflow-classic one has none/],
    ['keras-dcgan-adam', ['--bn-batches', 'separate'], /^error: --bn-batches applies to a discriminator with batch norm .* the keras-dcgan one has none/],
    ['keras-dcgan', ['--bn-batches', 'mixed'], /^error: --bn-batches applies to a discriminator with batch norm .* the keras-dcgan one has none/],
    ['improved', ['--bn-batches', 'mixed'], /^error: --bn-batches applies to a discriminator with batch norm .* the improved-gan one has none/],
    ['acgan', ['--bn-batches', 'mixed'], /^error: --bn-batches applies to a discriminator with batch norm .* the mlp one has none/],
  ])('%s %j: refused by its networks', async (variant, flags, message) => {
    expect(await refused(variant, flags)).toMatch(message);
  });
});
