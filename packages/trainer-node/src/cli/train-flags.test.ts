import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addTrainFlags, resolveTrainConfig, type TrainFlags } from './train-flags.js';
import { UsageError } from './usage-error.js';

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

describe('runFolderOf', () => {
  it('finds the run folder of a step checkpoint and of a final checkpoint', async () => {
    const { runFolderOf } = await import('./train.js');
    expect(runFolderOf('runs/a/checkpoints/step-00000500.forger')).toBe('runs/a');
    expect(runFolderOf('runs/a/final.forger')).toBe('runs/a');
  });
});
