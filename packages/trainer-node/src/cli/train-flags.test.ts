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
  it("applies Forger's vanilla recipe by default, and the chapter's classic one --recipe away", () => {
    const config = resolveTrainConfig(parse([]));
    expect(config).toMatchObject({
      model: 'vanilla', recipe: 'forger', dataset: 'mnist', batchSize: 64, optimizer: 'adam', lr: 2e-3, beta1: 0.5, latentDim: 32,
      out: 'runs/mnist-vanilla', backend: 'auto', labelSmoothing: 0.9, featureMatching: false,
      output: 'tanh', latentPrior: 'normal', activation: 'leaky-relu', discriminatorDropout: 0.3, steps: 10000,
    });
    const classic = resolveTrainConfig(parse(['--recipe', 'classic']));
    expect(classic).toMatchObject({ recipe: 'classic', batchSize: 128, lr: 1e-3, beta1: 0.9, labelSmoothing: 0, latentDim: 100 });
    // the classic networks are the family's own: no architecture switch is set
    for (const field of ['output', 'latentPrior', 'activation', 'discriminatorDropout'] as const) expect(classic).not.toHaveProperty(field);
  });

  it("gives DCGAN Adam with Radford et al.'s β1, and keras-dcgan's SGD one --recipe away", () => {
    expect(resolveTrainConfig(parse(['--model', 'dcgan']))).toMatchObject({ recipe: 'forger', optimizer: 'adam', lr: 2e-3, beta1: 0.5, out: 'runs/mnist-dcgan' });
    expect(resolveTrainConfig(parse(['--model', 'dcgan', '--recipe', 'keras-dcgan']))).toMatchObject({ recipe: 'keras-dcgan', optimizer: 'sgd', lr: 5e-4 });
    expect(resolveTrainConfig(parse(['--model', 'dcgan', '--recipe', 'keras-dcgan', '--optimizer', 'adam']))).toMatchObject({ lr: 2e-4, beta1: 0.5 });
  });

  it('refuses a faithful recipe of another family, saying whose it is', () => {
    expect(() => resolveTrainConfig(parse(['--model', 'dcgan', '--recipe', 'classic']))).toThrow(/--recipe classic is a recipe of --model vanilla, not of dcgan/);
    expect(() => resolveTrainConfig(parse(['--recipe', 'keras-dcgan']))).toThrow(/--recipe keras-dcgan is a recipe of --model dcgan, not of vanilla/);
    expect(() => resolveTrainConfig(parse(['--model', 'ssgan', '--recipe', 'classic']))).toThrow(UsageError);
    expect(() => parse(['--recipe', 'radford-2015'])).toThrow(/Allowed choices are forger, classic, keras-dcgan/);
  });

  it('resumes a run from before --recipe existed with the faithful recipe it was trained with', () => {
    const { recipe: _recipe, ...oldVanilla } = resolveTrainConfig(parse(['--recipe', 'classic', '--out', 'runs/old']));
    expect(resolveTrainConfig(parse([]), oldVanilla as typeof oldVanilla & { recipe: 'forger' })).toMatchObject({ recipe: 'classic' });
    const { recipe: _dcganRecipe, ...oldDcgan } = resolveTrainConfig(parse(['--model', 'dcgan', '--recipe', 'keras-dcgan']));
    expect(resolveTrainConfig(parse([]), oldDcgan as typeof oldDcgan & { recipe: 'forger' })).toMatchObject({ recipe: 'keras-dcgan', optimizer: 'sgd' });
    expect(() => resolveTrainConfig(parse(['--recipe', 'forger']), oldVanilla as typeof oldVanilla & { recipe: 'forger' })).toThrow(/--recipe forger differs from the checkpoint's/);
  });

  it('reads every value flag', () => {
    const config = resolveTrainConfig(
      parse(['--model', 'ssgan', '--dataset', 'cifar10', '--steps', '7', '--batch-size', '16', '--lr', '0.01', '--beta1', '0.3',
        '--latent-dim', '32', '--seed', '9', '--out', 'runs/x', '--checkpoint-every', '3', '--sample-every', '4',
        '--backend', 'cpu', '--quiet', '--label-smoothing', '0.8', '--feature-matching', '--minibatch-discrimination',
        '--historical-averaging', '--ssl-loss', 'ssgan', '--labeled-count', '100', '--update-rate', '2', '--eval-average', '0.01',
        '--fake-label', '0.1', '--historical-window', '20', '--g-optimizer', 'adam', '--d-optimizer', 'sgd', '--g-lr', '0.002',
        '--d-lr', '0.003', '--d-loss-threshold', '0.4', '--max-updates-per-step', '3']),
    );
    expect(config).toMatchObject({
      model: 'ssgan', dataset: 'cifar10', steps: 7, batchSize: 16, lr: 0.01, beta1: 0.3, latentDim: 32, seed: 9, out: 'runs/x',
      checkpointEvery: 3, sampleEvery: 4, backend: 'cpu', quiet: true, labelSmoothing: 0.8, featureMatching: true,
      minibatchDiscrimination: true, historicalAveraging: 1, sslLoss: 'ssgan', labeledCount: 100, updateRate: 2,
      evalAverage: 0.01, fakeLabel: 0.1, historicalWindow: 20, gOptimizer: 'adam', dOptimizer: 'sgd', gLr: 0.002, dLr: 0.003,
      dLossThreshold: 0.4, maxUpdatesPerStep: 3,
    });
    // a loss threshold may be negative: ssgan's generator loss is a log-probability
    expect(resolveTrainConfig(parse(['--g-loss-threshold', '-0.5']))).toMatchObject({ gLossThreshold: -0.5 });
  });

  it.each([
    [['--model', 'gan'], /argument 'gan' is invalid/],
    [['--steps', '0'], /whole number ≥ 1/],
    [['--batch-size', '12.5'], /whole number ≥ 1/],
    [['--lr', 'fast'], /number > 0/],
    [['--beta1', '1'], /\[0, 1\)/],
    [['--backend', 'cuda'], /argument 'cuda' is invalid/],
    [['--epochs'], /argument missing/],
    [['--fake-label', '0.5'], /\[0, 0.5\)/],
    [['--historical-window', '0'], /whole number ≥ 1/],
    [['--g-optimizer', 'rmsprop'], /argument 'rmsprop' is invalid/],
    [['--d-lr', '0'], /number > 0/],
    [['--d-loss-threshold', 'high'], /expected a number/],
    [['--max-updates-per-step', '0'], /whole number ≥ 1/],
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
    // the history window is the layout of the saved state, and every trick is the recipe the run trains with (issue 16):
    // refused if changed; the rates may change
    const windowed = resolveTrainConfig(parse(['--historical-averaging', '--historical-window', '4', '--out', 'runs/w']));
    expect(() => resolveTrainConfig(parse(['--historical-window', '8']), windowed)).toThrow(/--historical-window 8 differs from the checkpoint's 4/);
    expect(() => resolveTrainConfig(parse(['--d-loss-threshold', '0.3']), windowed)).toThrow(/--d-loss-threshold 0.3 differs from the checkpoint's default/);
    expect(() => resolveTrainConfig(parse(['--label-smoothing', '0.8']), windowed)).toThrow(/--label-smoothing 0.8 differs from the checkpoint's 0.9/);
    expect(() => resolveTrainConfig(parse(['--feature-matching']), windowed)).toThrow(/--feature-matching true differs from the checkpoint's false/);
    expect(resolveTrainConfig(parse(['--g-lr', '0.01']), windowed)).toMatchObject({ historicalWindow: 4, gLr: 0.01 });
  });
});

describe('the flag table (issue 15: each train flag written once)', () => {
  it('derives the same flags forger train had, in the same order, --inject-nan-at-step hidden', () => {
    const command = addTrainFlags(new Command('train'));
    expect(command.options.map((o) => o.flags)).toEqual([
      '--model <family>', '--recipe <name>', '--dataset <name|path>', '--data-dir <dir>', '--epochs <n>', '--steps <n>', '--batch-size <n>', '--lr <rate>',
      '--beta1 <b>', '--optimizer <kind>', '--latent-dim <n>', '--hidden-units <n[,n...]>', '--extra-layers <n|g,d>', '--seed <n>', '--out <dir>', '--resume <checkpoint>', '--checkpoint-every <n>',
      '--sample-every <n>', '--log-every <n>', '--backend <name>', '--wasm-threads <n>', '--quiet', '--stop-on <conditions>', '--label-smoothing [target]', '--feature-matching',
      '--minibatch-discrimination', '--historical-averaging [weight]', '--ssl-loss <loss>', '--labeled-count <n>', '--update-rate <n>',
      '--supervised-only', '--eval-average <rate>', '--architecture <name>', '--output <activation>', '--latent-prior <prior>',
      '--activation <kind>', '--norm <kind>', '--bn-batches <mode>', '--downsample <mode>', '--upsample <mode>', '--generator-dropout <rate>', '--discriminator-dropout <rate>',
      '--fake-label <target>', '--historical-window <t>', '--g-optimizer <kind>',
      '--d-optimizer <kind>', '--g-lr <rate>', '--d-lr <rate>', '--lr-decay <schedule>', '--d-loss-threshold <a>', '--g-loss-threshold <b>',
      '--max-updates-per-step <n>', '--acgan-net <kind>', '--generator-average <rate>', '--inject-nan-at-step <n>',
    ]);
    expect(command.options.filter((o) => o.hidden).map((o) => o.flags)).toEqual(['--inject-nan-at-step <n>']);
    // no commander defaults: a flag not given must stay undefined for --resume to keep the stored value
    expect(command.options.every((o) => o.defaultValue === undefined)).toBe(true);
  });

  it.each([
    // the faithful recipes keep the defaults train-defaults.ts had for vanilla and dcgan
    [['--recipe', 'classic'], { batchSize: 128, optimizer: 'adam', lr: 1e-3, beta1: 0.9, steps: 10000, checkpointEvery: 2000, sampleEvery: 1000, logEvery: 100 }],
    [['--model', 'dcgan', '--recipe', 'keras-dcgan'], { batchSize: 128, optimizer: 'sgd', lr: 5e-4, beta1: 0.5, steps: 469, checkpointEvery: 100, sampleEvery: 100, logEvery: 10 }],
    [['--model', 'ssgan'], { batchSize: 64, optimizer: 'adam', lr: 2e-4, beta1: 0.5, steps: 3000, checkpointEvery: 500, sampleEvery: 500, logEvery: 50, sslLoss: 'ssgan' }],
    [['--model', 'ssgan', '--ssl-loss', 'improved'], { batchSize: 100, optimizer: 'adam', lr: 3e-3, beta1: 0.5, steps: 3000, checkpointEvery: 500, sampleEvery: 500, logEvery: 50 }],
  ])('gives %j the defaults it had', (args, expected) => {
    expect(resolveTrainConfig(parse(args))).toMatchObject({ latentDim: 100, seed: 42, dataset: 'mnist', backend: 'auto', quiet: false, ...expected });
  });

  it('fixes on resume the fields it fixed before', () => {
    expect([...FIXED_ON_RESUME].sort()).toEqual([
      'acganNet', 'activation', 'architecture', 'bnBatches', 'dLossThreshold', 'dOptimizer', 'dataset', 'discriminatorDropout', 'downsample', 'evalAverage',
      'extraLayers', 'fakeLabel', 'featureMatching', 'gLossThreshold', 'gOptimizer', 'generatorAverage', 'generatorDropout', 'hiddenUnits', 'historicalAveraging', 'historicalWindow', 'labelSmoothing',
      'labeledCount', 'latentDim', 'latentPrior', 'lrDecay', 'maxUpdatesPerStep', 'minibatchDiscrimination', 'model', 'norm', 'output', 'recipe', 'seed', 'sslLoss',
      'supervisedOnly', 'upsample',
    ]);
  });

  it('a resolved config holds a field for every row that applies, and no other', () => {
    const config = resolveTrainConfig(parse([
      '--model', 'ssgan', '--labeled-count', '100', '--eval-average', '0.01', '--data-dir', 'd', '--inject-nan-at-step', '3', '--stop-on', 'collapse,nan',
      '--wasm-threads', '2',
      '--output', 'tanh', '--latent-prior', 'normal', '--activation', 'relu', '--norm', 'none', '--bn-batches', 'mixed', '--downsample', 'strided', '--upsample', 'nearest', '--generator-dropout', '0.1',
      '--fake-label', '0.1', '--historical-averaging', '--historical-window', '2', '--g-optimizer', 'sgd', '--d-optimizer', 'sgd', '--g-lr', '1',
      '--d-lr', '1', '--d-loss-threshold', '1', '--g-loss-threshold', '1', '--max-updates-per-step', '2',
    ]));
    const ssganRows = TRAIN_FLAG_ROWS.filter(([, row]) => !row.families || row.families.includes('ssgan')).map(([field]) => field);
    // --update-rate and --g-loss-threshold exclude each other (both set G's updates per step); --supervised-only the GAN tricks
    expect(Object.keys(config).sort()).toEqual(ssganRows.filter((f) => !['epochs', 'updateRate', 'supervisedOnly'].includes(f)).sort());
    expect(config.stopOn).toEqual(['collapse', 'nan']);
    const baseline = resolveTrainConfig(parse(['--model', 'ssgan', '--supervised-only']));
    expect(baseline).toMatchObject({ supervisedOnly: true });
    expect(baseline.out).toBe('runs/mnist-ssgan-baseline');
  });

  // issue 16: the baseline trains the discriminator alone; a flag that shapes only the generator, its samples or the
  // generated batches would be accepted and ignored
  it.each([
    [['--latent-dim', '16'], /^--latent-dim sizes the generator's input: --supervised-only trains the discriminator alone/],
    [['--latent-prior', 'normal'], /^--latent-prior draws the generator's input: --supervised-only/],
    [['--upsample', 'bilinear'], /^--upsample shapes the generator's layers: --supervised-only/],
    [['--generator-dropout', '0.5'], /^--generator-dropout is dropout in the generator: --supervised-only/],
    [['--bn-batches', 'mixed'], /^--bn-batches splits the discriminator's batches into real and generated ones: --supervised-only/],
    [['--update-rate', '2'], /^--update-rate sets the generator's updates per step: --supervised-only/],
    [['--sample-every', '10'], /^--sample-every sets how often the generator's samples are drawn: --supervised-only/],
  ])('refuses %j with --supervised-only, whose classifier has no generator', (extra, message) => {
    expect(() => resolveTrainConfig(parse(['--model', 'ssgan', '--supervised-only', ...extra]))).toThrow(message);
  });

  it('keeps the discriminator-shaping switches for the supervised baseline: they build its very classifier', () => {
    const config = resolveTrainConfig(parse(['--model', 'ssgan', '--supervised-only', '--activation', 'relu', '--norm', 'none', '--downsample', 'average-pool', '--minibatch-discrimination']));
    expect(config).toMatchObject({ activation: 'relu', norm: 'none', downsample: 'average-pool', minibatchDiscrimination: true });
  });

  it('refuses --stop-on for the supervised baseline: it has no generator to watch', () => {
    expect(() => resolveTrainConfig(parse(['--model', 'ssgan', '--supervised-only', '--stop-on', 'collapse']))).toThrow(/^--stop-on watches a GAN's losses and samples/);
  });

  it('acgan: batch 32 and Adam 5e-4 β1 0.5 (the measured run), the MLP networks, no feature matching or historical averaging', () => {
    const config = resolveTrainConfig(parse(['--model', 'acgan']));
    expect(config).toMatchObject({ model: 'acgan', batchSize: 32, lr: 5e-4, beta1: 0.5, optimizer: 'adam', steps: 8000, generatorAverage: 0.001, acganNet: 'mlp', out: 'runs/mnist-acgan' });
    expect(config.featureMatching).toBeUndefined();
    expect(config.historicalAveraging).toBeUndefined();
    expect(resolveTrainConfig(parse(['--model', 'acgan', '--acgan-net', 'conv'])).acganNet).toBe('conv');
    expect(resolveTrainConfig(parse(['--model', 'vanilla'])).acganNet).toBeUndefined();
  });

  it.each([
    [['--labeled-count', '100'], /^error: --labeled-count applies to --model ssgan only: only the semi-supervised GAN reads labels \(see: forger train --help\)\n/],
    [['--model', 'dcgan', '--ssl-loss', 'improved'], /^error: --ssl-loss applies to --model ssgan only: the other families have no classifying discriminator \(see: forger train --help\)\n/],
    [['--supervised-only'], /^error: --supervised-only applies to --model ssgan only: /],
    // issue 16: a trick that means nothing with the other flags given is refused, not ignored
    [['--historical-window', '5'], /^error: --historical-window sets the window of historical averaging: give --historical-averaging too/],
    [['--model', 'dcgan', '--max-updates-per-step', '3'], /^error: --max-updates-per-step caps the loss-threshold schedule: give --d-loss-threshold or --g-loss-threshold too/],
    [['--model', 'ssgan', '--ssl-loss', 'improved', '--feature-matching'], /^error: --feature-matching does not apply to --ssl-loss improved: its generator loss is feature matching already/],
    [['--model', 'ssgan', '--update-rate', '3', '--g-loss-threshold', '0'], /^error: --update-rate and --g-loss-threshold both set the generator's updates per step: give one/],
    [['--fake-label', '0.7'], /^error: .*--fake-label.*\[0, 0.5\)/],
    [['--model', 'ssgan', '--supervised-only', '--label-smoothing'], /^error: --label-smoothing is a GAN training trick: --supervised-only trains the discriminator alone/],
    [['--model', 'ssgan', '--supervised-only', '--d-lr', '0.1'], /^error: --d-lr is a GAN training trick: --supervised-only/],
    [['--model', 'acgan', '--feature-matching'], /^error: --feature-matching applies to --model vanilla, dcgan, ssgan only: acgan's generator loss is its own/],
    [['--model', 'acgan', '--historical-averaging'], /^error: --historical-averaging applies to --model vanilla, dcgan, ssgan only: the acgan trainer keeps no weight averages/],
    [['--acgan-net', 'conv'], /^error: --acgan-net applies to --model acgan only: /],
    // issue 16's loop tricks that the acgan trainer does not have are refused for it, not ignored
    [['--model', 'acgan', '--fake-label', '0.1'], /^error: --fake-label applies to --model vanilla, dcgan, ssgan only: acgan's source loss/],
    [['--model', 'acgan', '--d-loss-threshold', '1'], /^error: --d-loss-threshold applies to --model vanilla, dcgan, ssgan only: the acgan trainer updates each network once a step/],
    [['--model', 'acgan', '--discriminator-dropout', '0.3'], /^error: --discriminator-dropout applies to --model vanilla, dcgan only: /],
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
