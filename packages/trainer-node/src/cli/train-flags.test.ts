import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { FIXED_ON_RESUME, TRAIN_FLAG_ROWS } from '../run/train-flag-table.js';
import { captureIo } from '../test-support/capture-io.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';
import { addTrainFlags, resolveTrainConfig, type TrainFlags } from './train-flags.js';
import { UsageError } from '../run/usage-error.js';

function parse(args: string[]): TrainFlags {
  const command = addTrainFlags(new Command('train')).exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  command.parse(args, { from: 'user' });
  return command.opts<TrainFlags>();
}

describe('forger train flags', () => {
  it('applies the family defaults of the classic TensorFlow vanilla GAN', () => {
    const config = resolveTrainConfig(parse([]));
    expect(config).toMatchObject({
      model: 'vanilla', dataset: 'mnist', batchSize: 128, optimizer: 'adam', lr: 1e-3, beta1: 0.9, latentDim: 100,
      out: 'runs/mnist-vanilla', backend: 'auto', labelSmoothing: 0, featureMatching: false,
    });
    expect(config.steps).toBeGreaterThan(0);
  });

  it('gives DCGAN the SGD of keras-dcgan, and Adam the setting of Radford et al.', () => {
    expect(resolveTrainConfig(parse(['--model', 'dcgan']))).toMatchObject({ optimizer: 'sgd', lr: 5e-4, out: 'runs/mnist-dcgan' });
    expect(resolveTrainConfig(parse(['--model', 'dcgan', '--optimizer', 'adam']))).toMatchObject({ lr: 2e-4, beta1: 0.5 });
  });

  it('reads every value flag', () => {
    const config = resolveTrainConfig(
      parse(['--model', 'ssgan', '--dataset', 'cifar10', '--steps', '7', '--batch-size', '16', '--lr', '0.01', '--beta1', '0.3',
        '--latent-dim', '32', '--seed', '9', '--out', 'runs/x', '--checkpoint-every', '3', '--sample-every', '4',
        '--backend', 'cpu', '--quiet', '--label-smoothing', '0.8', '--feature-matching', '--minibatch-discrimination',
        '--historical-averaging', '--ssl-loss', 'improved', '--labeled-count', '100', '--update-rate', '2', '--eval-average', '0.01']),
    );
    expect(config).toMatchObject({
      model: 'ssgan', dataset: 'cifar10', steps: 7, batchSize: 16, lr: 0.01, beta1: 0.3, latentDim: 32, seed: 9, out: 'runs/x',
      checkpointEvery: 3, sampleEvery: 4, backend: 'cpu', quiet: true, labelSmoothing: 0.8, featureMatching: true,
      minibatchDiscrimination: true, historicalAveraging: 1, sslLoss: 'improved', labeledCount: 100, updateRate: 2,
      evalAverage: 0.01,
    });
  });

  it.each([
    [['--model', 'gan'], /argument 'gan' is invalid/],
    [['--steps', '0'], /whole number ≥ 1/],
    [['--batch-size', '12.5'], /whole number ≥ 1/],
    [['--lr', 'fast'], /number > 0/],
    [['--beta1', '1'], /\[0, 1\)/],
    [['--backend', 'cuda'], /argument 'cuda' is invalid/],
    [['--epochs'], /argument missing/],
    [['--no-such-flag'], /unknown option/],
  ])('rejects %j', (args, message) => {
    expect(() => parse(args)).toThrow(message);
  });

  it('refuses --steps with --epochs, and ssgan flags on other families', () => {
    expect(() => resolveTrainConfig(parse(['--steps', '5', '--epochs', '1']))).toThrow(UsageError);
    expect(() => resolveTrainConfig(parse(['--labeled-count', '100']))).toThrow(/--labeled-count applies to --model ssgan only/);
    expect(() => resolveTrainConfig(parse(['--eval-average', '0.001']))).toThrow(/--eval-average applies to --model ssgan only/);
    expect(() => parse(['--model', 'ssgan', '--eval-average', '2'])).toThrow(/\[0, 1\)/);
  });

  it('on resume keeps the stored flags, takes the new ones and refuses a new architecture', () => {
    const stored = resolveTrainConfig(parse(['--steps', '100', '--lr', '0.002', '--seed', '5', '--out', 'runs/a']));
    const resumed = resolveTrainConfig(parse(['--steps', '300', '--quiet']), stored);
    expect(resumed).toMatchObject({ steps: 300, lr: 0.002, seed: 5, out: 'runs/a', quiet: true });
    expect(resolveTrainConfig(parse(['--epochs', '2']), stored)).not.toHaveProperty('steps');
    expect(() => resolveTrainConfig(parse(['--model', 'dcgan']), stored)).toThrow(/--model dcgan differs from the checkpoint's vanilla/);
    expect(() => resolveTrainConfig(parse(['--latent-dim', '64']), stored)).toThrow(UsageError);
    // an evaluation average cannot start or change mid-run: the saved average belongs to its rate
    const ssl = resolveTrainConfig(parse(['--model', 'ssgan', '--ssl-loss', 'improved', '--out', 'runs/s']));
    expect(() => resolveTrainConfig(parse(['--eval-average', '0.01']), ssl)).toThrow(/--eval-average 0.01 differs from the checkpoint's default/);
  });
});

describe('the flag table (issue 15: each train flag written once)', () => {
  it('derives the same flags forger train had, in the same order, --inject-nan-at-step hidden', () => {
    const command = addTrainFlags(new Command('train'));
    expect(command.options.map((o) => o.flags)).toEqual([
      '--model <family>', '--dataset <name|path>', '--data-dir <dir>', '--epochs <n>', '--steps <n>', '--batch-size <n>', '--lr <rate>',
      '--beta1 <b>', '--optimizer <kind>', '--latent-dim <n>', '--seed <n>', '--out <dir>', '--resume <checkpoint>', '--checkpoint-every <n>',
      '--sample-every <n>', '--log-every <n>', '--backend <name>', '--quiet', '--label-smoothing [target]', '--feature-matching',
      '--minibatch-discrimination', '--historical-averaging [weight]', '--ssl-loss <loss>', '--labeled-count <n>', '--update-rate <n>',
      '--supervised-only', '--eval-average <rate>', '--acgan-net <kind>', '--inject-nan-at-step <n>',
    ]);
    expect(command.options.filter((o) => o.hidden).map((o) => o.flags)).toEqual(['--inject-nan-at-step <n>']);
    // no commander defaults: a flag not given must stay undefined for --resume to keep the stored value
    expect(command.options.every((o) => o.defaultValue === undefined)).toBe(true);
  });

  it.each([
    // the defaults of the four recipes as train-defaults.ts had them
    [[], { batchSize: 128, optimizer: 'adam', lr: 1e-3, beta1: 0.9, steps: 10000, checkpointEvery: 2000, sampleEvery: 1000, logEvery: 100 }],
    [['--model', 'dcgan'], { batchSize: 128, optimizer: 'sgd', lr: 5e-4, beta1: 0.5, steps: 469, checkpointEvery: 100, sampleEvery: 100, logEvery: 10 }],
    [['--model', 'ssgan'], { batchSize: 64, optimizer: 'adam', lr: 2e-4, beta1: 0.5, steps: 3000, checkpointEvery: 500, sampleEvery: 500, logEvery: 50, sslLoss: 'ssgan' }],
    [['--model', 'ssgan', '--ssl-loss', 'improved'], { batchSize: 100, optimizer: 'adam', lr: 3e-3, beta1: 0.5, steps: 3000, checkpointEvery: 500, sampleEvery: 500, logEvery: 50 }],
  ])('gives %j the defaults it had', (args, expected) => {
    expect(resolveTrainConfig(parse(args))).toMatchObject({ latentDim: 100, seed: 42, dataset: 'mnist', backend: 'auto', quiet: false, ...expected });
  });

  it('fixes on resume the fields it fixed before', () => {
    expect([...FIXED_ON_RESUME].sort()).toEqual(['acganNet', 'dataset', 'evalAverage', 'labeledCount', 'latentDim', 'minibatchDiscrimination', 'model', 'seed', 'sslLoss', 'supervisedOnly']);
  });

  it('a resolved config holds a field for every row that applies, and no other', () => {
    const config = resolveTrainConfig(parse(['--model', 'ssgan', '--labeled-count', '100', '--update-rate', '2', '--eval-average', '0.01', '--supervised-only', '--data-dir', 'd', '--inject-nan-at-step', '3']));
    expect(Object.keys(config).sort()).toEqual(TRAIN_FLAG_ROWS.filter(([f, r]) => f !== 'epochs' && (!r.families || r.families.includes('ssgan'))).map(([field]) => field).sort());
    expect(config.out).toBe('runs/mnist-ssgan-baseline');
  });

  it('acgan: batch 32 and Adam 5e-4 β1 0.5 (the measured run), the MLP networks, no feature matching or historical averaging', () => {
    const config = resolveTrainConfig(parse(['--model', 'acgan']));
    expect(config).toMatchObject({ model: 'acgan', batchSize: 32, lr: 5e-4, beta1: 0.5, optimizer: 'adam', steps: 1750, acganNet: 'mlp', out: 'runs/mnist-acgan' });
    expect(config.featureMatching).toBeUndefined();
    expect(config.historicalAveraging).toBeUndefined();
    expect(resolveTrainConfig(parse(['--model', 'acgan', '--acgan-net', 'conv'])).acganNet).toBe('conv');
    expect(resolveTrainConfig(parse(['--model', 'vanilla'])).acganNet).toBeUndefined();
  });

  it.each([
    [['--labeled-count', '100'], /^error: --labeled-count applies to --model ssgan only: only the semi-supervised GAN reads labels \(see: forger train --help\)\n/],
    [['--model', 'dcgan', '--ssl-loss', 'improved'], /^error: --ssl-loss applies to --model ssgan only: the other families have no classifying discriminator \(see: forger train --help\)\n/],
    [['--supervised-only'], /^error: --supervised-only applies to --model ssgan only: /],
    [['--model', 'acgan', '--feature-matching'], /^error: --feature-matching applies to --model vanilla, dcgan, ssgan only: acgan's generator loss is its own/],
    [['--model', 'acgan', '--historical-averaging'], /^error: --historical-averaging applies to --model vanilla, dcgan, ssgan only: the acgan trainer keeps no weight averages/],
    [['--acgan-net', 'conv'], /^error: --acgan-net applies to --model acgan only: /],
  ])('forger train %j: a flag that cannot apply to the family exits 2 saying why, and writes nothing', async (args, message) => {
    const io = captureIo();
    expect(await runCli(['train', ...args, '--out', '/nonexistent/never'], io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(message);
  });
});

describe('runFolderOf', () => {
  it('finds the run folder of a step checkpoint and of a final checkpoint', async () => {
    const { runFolderOf } = await import('./train.js');
    expect(runFolderOf('runs/a/checkpoints/step-00000500.forger')).toBe('runs/a');
    expect(runFolderOf('runs/a/final.forger')).toBe('runs/a');
  });
});
