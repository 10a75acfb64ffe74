import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointTensorToFloat32, decodeCheckpoint } from '@forger/core';
import { readMetrics } from '../run/metrics-log.js';
import { captureIo } from '../test-support/capture-io.js';
import { writeIdxDataset } from '../test-support/idx-dataset.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

const tempRun = () => mkdtemp(join(tmpdir(), 'forger-tricks-'));

/** Issue 16's training-loop switches through the CLI: a vanilla GAN at batch 8 on the cpu backend, seconds. */
function tinyTrain(out: string, ...extra: string[]): string[] {
  return ['train', '--backend', 'cpu', '--batch-size', '8', '--out', out, '--quiet', '--log-every', '1', '--seed', '3', ...extra];
}

const TRICKS = [
  '--historical-averaging', '0.5', '--historical-window', '2', '--d-loss-threshold', '0.2', '--max-updates-per-step', '3',
  '--g-optimizer', 'sgd', '--g-lr', '0.01', '--label-smoothing', '0.9', '--fake-label', '0.1',
];

describe('forger train with the training-loop tricks', () => {
  it('refuses a --historical-window whose copies of both networks would not fit a checkpoint (exit 2), before writing anything', async () => {
    const out = join(await tempRun(), 'run');
    const io = captureIo();
    expect(await runCli(tinyTrain(out, '--steps', '1', '--historical-averaging', '--historical-window', '100000'), io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--historical-window 100000 cannot apply to the \S+ networks: a historical window of 100000 steps keeps 100000 copies of the networks. [\d,]+ trainable parameters, over the 256 MiB a checkpoint can carry: at most \d+ steps for these networks/);
    expect(existsSync(out)).toBe(false);
  });

  it('records them, logs the schedule\'s updates, shows them in forger inspect, and resumes exactly with the window', async () => {
    const whole = await tempRun();
    const split = await tempRun();
    expect(await runCli(tinyTrain(whole, '--steps', '5', ...TRICKS), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(split, '--steps', '3', ...TRICKS), captureIo())).toBe(ExitCode.ok);

    // the schedule acts where a user can see it: D's updates per step, 0 to 3 by its loss; G without threshold takes 1
    const metrics = await readMetrics(join(whole, 'metrics.jsonl'));
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    for (const m of metrics) {
      expect(m['d_updates']).toBe(m.d_loss > 0.2 ? 3 : 0); // D's loss here stays above 0.2 (about 1.4)
      expect(m['g_updates']).toBe(1);
    }

    const final = decodeCheckpoint(await readFile(join(whole, 'final.forger')));
    expect(JSON.parse(final.training!.configJson)).toMatchObject({
      historicalAveraging: 0.5, historicalWindow: 2, dLossThreshold: 0.2, maxUpdatesPerStep: 3, gOptimizer: 'sgd', gLr: 0.01, labelSmoothing: 0.9, fakeLabel: 0.1,
    });
    expect(final.training!.optimizers.find((o) => o.network === 'generator')).toMatchObject({ kind: 'momentum', hyper: { learning_rate: 0.01 } });
    // D keeps the recipe's --lr (Forger's vanilla: 2e-3)
    expect(final.training!.optimizers.find((o) => o.network === 'discriminator')).toMatchObject({ kind: 'adam', hyper: { learning_rate: 0.002 } });
    expect(final.training!.extra.some((t) => t.name === 'historical_average/discriminator/window/1/dense_1/kernel')).toBe(true);

    const inspect = captureIo();
    expect(await runCli(['inspect', join(whole, 'final.forger')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/^config: .*historicalWindow=2 .*gOptimizer=sgd .*dLossThreshold=0.2 maxUpdatesPerStep=3/m);

    // a resumed run keeps its window (another is refused, exit 2) and continues bit for bit
    const refused = captureIo();
    expect(await runCli(['train', '--resume', join(split, 'final.forger'), '--steps', '5', '--quiet', '--historical-window', '3'], refused)).toBe(ExitCode.usage);
    expect(refused.err()).toMatch(/--historical-window 3 differs from the checkpoint's 2/);
    expect(await runCli(['train', '--resume', join(split, 'final.forger'), '--steps', '5', '--quiet'], captureIo())).toBe(ExitCode.ok);
    const resumed = decodeCheckpoint(await readFile(join(split, 'final.forger')));
    for (const [x, y] of [...final.generator.map((t, i) => [t, resumed.generator[i]!]), ...final.discriminator.map((t, i) => [t, resumed.discriminator[i]!])]) {
      expect(checkpointTensorToFloat32(y!)).toEqual(checkpointTensorToFloat32(x!));
    }
    expect(resumed.training!.extra.map((t) => checkpointTensorToFloat32(t))).toEqual(final.training!.extra.map((t) => checkpointTensorToFloat32(t)));
  }, 240_000); // four CLI runs with backend start-up each: 18 s on a quiet machine, over 60 s at a load average of 10

  describe('ssgan (issue 16: --label-smoothing, --feature-matching, --historical-averaging were accepted and ignored)', () => {
    // wasm: SSGAN's 28×28 convolutions take minutes on tfjs' pure-JS cpu backend; 2 steps, since historical
    // averaging's penalty is 0 at the first (the mean is then the parameters themselves)
    const ssgan = (out: string, ...extra: string[]): string[] => [...tinyTrain(out, '--model', 'ssgan', '--batch-size', '4', '--steps', '2', ...extra), '--backend', 'wasm'];
    const losses = async (out: string): Promise<number[]> => (await readMetrics(join(out, 'metrics.jsonl'))).flatMap((m) => [m.d_loss, m.g_loss]);
    let plain: number[];
    beforeAll(async () => {
      const [first, second] = [await tempRun(), await tempRun()];
      expect(await runCli(ssgan(first), captureIo())).toBe(ExitCode.ok);
      expect(await runCli(ssgan(second), captureIo())).toBe(ExitCode.ok);
      plain = await losses(first);
      // the same flags give the same losses: a difference below comes from the switch, not from noise
      expect(await losses(second)).toEqual(plain);
      expect(plain).toHaveLength(4);
    }, 600_000);

    it.each([
      ['--label-smoothing', '0.9'], ['--fake-label', '0.3'], ['--feature-matching'], ['--historical-averaging'], ['--historical-averaging', '--historical-window', '1'],
      ['--g-optimizer', 'sgd'], ['--d-optimizer', 'sgd'], ['--g-lr', '0.01'], ['--d-lr', '0.01'], ['--d-loss-threshold', '-100'], ['--g-loss-threshold', '-100'],
    ].map((flags) => [flags.join(' '), flags] as const))('%s changes the losses', async (_name, flags) => {
      const out = await tempRun();
      expect(await runCli(ssgan(out, ...flags), captureIo())).toBe(ExitCode.ok);
      expect(await losses(out)).not.toEqual(plain);
    }, 300_000);
  });
});

describe('forger train --lr-decay linear', () => {
  it('lowers both rates in a straight line to 0 at the run\'s end, logs them, and resumes exactly only at the same length', async () => {
    const whole = await tempRun();
    const split = await tempRun();
    const constant = await tempRun();
    expect(await runCli(tinyTrain(whole, '--steps', '4', '--lr-decay', 'linear', '--g-lr', '0.004'), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(tinyTrain(constant, '--steps', '4', '--g-lr', '0.004'), captureIo())).toBe(ExitCode.ok);

    // step k of 4 (the record's step is the count after it) trains at (1 − (k − 1)/4) of G's 4e-3 and D's 2e-3
    const metrics = await readMetrics(join(whole, 'metrics.jsonl'));
    expect(metrics.map((m) => [m.step, m['g_lr'], m['d_lr']])).toEqual([1, 0.75, 0.5, 0.25].map((f, i) => [i + 1, 0.004 * f, 0.002 * f]));
    expect((await readMetrics(join(constant, 'metrics.jsonl')))[0]).not.toHaveProperty('g_lr');
    const final = decodeCheckpoint(await readFile(join(whole, 'final.forger')));
    const plain = decodeCheckpoint(await readFile(join(constant, 'final.forger')));
    expect(JSON.parse(final.training!.configJson)).toMatchObject({ lrDecay: 'linear', steps: 4 });
    expect(checkpointTensorToFloat32(final.generator[0]!)).not.toEqual(checkpointTensorToFloat32(plain.generator[0]!));

    const inspect = captureIo();
    expect(await runCli(['inspect', join(whole, 'final.forger')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/^config: .*lrDecay=linear/m);

    // interrupted at step 2 of 4 (a run of 2 steps would decay to 0 at step 2: write a step-2 checkpoint of the 4-step run)
    expect(await runCli(tinyTrain(split, '--steps', '4', '--lr-decay', 'linear', '--g-lr', '0.004', '--checkpoint-every', '2'), captureIo())).toBe(ExitCode.ok);
    const half = join(split, 'checkpoints', 'step-00000002.forger');
    for (const [flags, message] of [
      [['--steps', '6'], /--steps makes the run 6 steps long \(--steps 6\), not the checkpoint's 4 \(--steps 4\): under --lr-decay linear the rates fall to 0 at the run's end/],
      [['--lr-decay', 'none'], /--lr-decay none differs from the checkpoint's linear/],
    ] as const) {
      const refused = captureIo();
      expect(await runCli(['train', '--resume', half, '--quiet', ...flags], refused)).toBe(ExitCode.usage);
      expect(refused.err()).toMatch(message);
    }
    expect(await runCli(['train', '--resume', half, '--quiet'], captureIo())).toBe(ExitCode.ok);
    const resumed = decodeCheckpoint(await readFile(join(split, 'final.forger')));
    for (const [x, y] of [...final.generator.map((t, i) => [t, resumed.generator[i]!]), ...final.discriminator.map((t, i) => [t, resumed.discriminator[i]!])]) {
      expect(checkpointTensorToFloat32(y!)).toEqual(checkpointTensorToFloat32(x!));
    }
  }, 240_000);

  it('compares a resumed run\'s length in steps: the same length given as --steps resumes exactly, a new --batch-size under --epochs is refused', async () => {
    // 32 images at batch 8: an epoch is 4 steps, so --epochs 2 is 8 steps
    const images = await writeIdxDataset([28, 28], { count: 32 });
    const whole = await tempRun();
    const split = await tempRun();
    const args = (out: string, ...extra: string[]) => tinyTrain(out, '--dataset', images, '--epochs', '2', '--lr-decay', 'linear', ...extra);
    expect(await runCli(args(whole), captureIo())).toBe(ExitCode.ok);
    expect(await runCli(args(split, '--checkpoint-every', '2'), captureIo())).toBe(ExitCode.ok);
    const half = join(split, 'checkpoints', 'step-00000002.forger');

    const refused = captureIo();
    expect(await runCli(['train', '--resume', half, '--quiet', '--batch-size', '16'], refused)).toBe(ExitCode.usage);
    expect(refused.err()).toMatch(/--batch-size makes the run 4 steps long \(--epochs 2 of batch 16\), not the checkpoint's 8 \(--epochs 2 of batch 8\)/);
    const longer = captureIo();
    expect(await runCli(['train', '--resume', half, '--quiet', '--steps', '9'], longer)).toBe(ExitCode.usage);
    expect(longer.err()).toMatch(/--steps makes the run 9 steps long \(--steps 9\), not the checkpoint's 8 \(--epochs 2 of batch 8\)/);

    expect(await runCli(['train', '--resume', half, '--quiet', '--steps', '8'], captureIo())).toBe(ExitCode.ok);
    const expected = decodeCheckpoint(await readFile(join(whole, 'final.forger')));
    const resumed = decodeCheckpoint(await readFile(join(split, 'final.forger')));
    expect(resumed.training!.step).toBe(8);
    for (const [x, y] of expected.generator.map((t, i) => [t, resumed.generator[i]!])) {
      expect(checkpointTensorToFloat32(y!)).toEqual(checkpointTensorToFloat32(x!));
    }
  }, 120_000);

  it('is refused with --supervised-only, whose classifier trains at a constant rate', async () => {
    const io = captureIo();
    expect(await runCli(tinyTrain(await tempRun(), '--model', 'ssgan', '--supervised-only', '--lr-decay', 'linear'), io)).toBe(ExitCode.usage);
    expect(io.err()).toMatch(/--lr-decay is a GAN training trick/);
  });
});
