import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../src/cli/train-flags.js';
import { startBackend } from '../src/run/start-backend.js';
import { prepareTraining } from '../src/run/training-run.js';
import { checkTrainFlagLimits } from '../src/run/usage-limits.js';
import { captureIo } from '../src/test-support/capture-io.js';
import { parseTrainFlags } from '../src/test-support/run-cli.js';
import { tinyDataset } from '../src/test-support/train-from-flags.js';
import { ABLATION_ARMS, ABLATION_BUDGETS, type AblationFamily } from './ablation-arms.js';

/**
 * An ablation runs for an hour or more, an arm at a time: an arm whose flags `forger train` refuses (a combination
 * exit 2 names, a window too long for the networks) would fail only when its turn comes. Each arm is taken here the
 * way the CLI takes it, from its flags to the networks and trainer of its first step (prepareTraining), on images of
 * MNIST's shape, at the family's ablation budget.
 */
describe('the ablation arms', () => {
  const families = Object.keys(ABLATION_ARMS) as AblationFamily[];
  const mnistShaped = tinyDataset({ size: 28, count: 256, classes: 10 });

  it.each(families)('%s: the arms have distinct names and distinct flags', (family) => {
    const arms = ABLATION_ARMS[family];
    expect(new Set(arms.map((arm) => arm.name)).size).toBe(arms.length);
    expect(new Set(arms.map((arm) => arm.flags.join(' '))).size).toBe(arms.length);
  });

  const cells = families.flatMap((family) => ABLATION_ARMS[family].map((arm) => ({ family, arm })));
  it.each(cells.map((cell) => [`${cell.family} ${cell.arm.name}`, cell] as const))('%s: forger train accepts its flags', async (_, { family, arm }) => {
    const budget = ABLATION_BUDGETS[family];
    const flags = ['--model', family, ...arm.flags, '--batch-size', String(budget.batchSize), '--steps', String(budget.steps), '--backend', 'cpu'];
    const config = resolveTrainConfig(parseTrainFlags(flags));
    checkTrainFlagLimits(config);
    await startBackend(config.backend, captureIo(), () => {});
    const { nets, trainer } = await prepareTraining(config, mnistShaped, undefined);
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });
});
