import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { ExitCode } from './exit-codes.js';
import { resolveTrainConfig } from './train-flags.js';
import { forger, parseTrainFlags } from '../test-support/run-cli.js';

describe('forger train: the architecture switches (issue 16)', () => {
  it("--model dcgan trains the radford networks with Forger's recipe for them (batch 32, Adam 2e-3, β1 0.5, a generator average); the paper's is flags away", () => {
    for (const given of [[], ['--architecture', 'radford']]) {
      expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', ...given]))).toMatchObject({
        recipe: 'forger', architecture: 'radford', optimizer: 'adam', lr: 2e-3, beta1: 0.5, batchSize: 32, steps: 1875, checkpointEvery: 200, sampleEvery: 200, generatorAverage: 0.001,
        extraLayers: [3, 3],
      });
    }
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--architecture', 'radford', '--batch-size', '128', '--lr', '2e-4', '--generator-average', '0', '--extra-layers', '0']))).toMatchObject({
      architecture: 'radford', optimizer: 'adam', lr: 2e-4, beta1: 0.5, batchSize: 128, generatorAverage: 0, extraLayers: [0, 0],
    });
    // keras-dcgan's networks: with Adam 2e-4 at batch 128 (Forger's dcgan default before), or --recipe keras-dcgan's SGD
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--architecture', 'keras-dcgan']))).toMatchObject({
      recipe: 'forger', architecture: 'keras-dcgan', optimizer: 'adam', lr: 2e-4, beta1: 0.5, batchSize: 128, steps: 469, generatorAverage: 0,
    });
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--recipe', 'keras-dcgan']))).toMatchObject({ architecture: 'keras-dcgan', optimizer: 'sgd', lr: 5e-4 });
    expect(() => resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--recipe', 'keras-dcgan', '--architecture', 'radford']))).toThrow(/--recipe keras-dcgan trains keras-dcgan's own networks/);
  });

  it('resumes a dcgan checkpoint from before --architecture existed on the keras-dcgan networks it trained', () => {
    const { architecture: _architecture, ...old } = resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--architecture', 'keras-dcgan', '--out', 'runs/old']));
    expect(resolveTrainConfig(parseTrainFlags([]), old)).toMatchObject({ architecture: 'keras-dcgan', optimizer: 'adam', lr: 2e-4, batchSize: 128 });
    expect(() => resolveTrainConfig(parseTrainFlags(['--architecture', 'radford']), old)).toThrow(/--architecture radford differs from the checkpoint's/);
  });

  it('reads every switch into the recorded config; none is set unless given', () => {
    const config = resolveTrainConfig(parseTrainFlags([
      '--model', 'dcgan', '--output', 'sigmoid', '--latent-prior', 'normal', '--activation', 'leaky-relu', '--norm', 'batch',
      '--bn-batches', 'mixed', '--downsample', 'strided', '--upsample', 'pixel-shuffle', '--generator-dropout', '0.25',
    ]));
    expect(config).toMatchObject({
      output: 'sigmoid', latentPrior: 'normal', activation: 'leaky-relu', norm: 'batch', bnBatches: 'mixed', downsample: 'strided',
      upsample: 'pixel-shuffle', generatorDropout: 0.25,
    });
    const plain = resolveTrainConfig(parseTrainFlags(['--model', 'dcgan']));
    for (const field of ['output', 'latentPrior', 'activation', 'norm', 'bnBatches', 'downsample', 'upsample', 'generatorDropout']) {
      expect(plain).not.toHaveProperty(field);
    }
  });

  it.each([
    [['--norm', 'group'], /argument 'group' is invalid/],
    [['--generator-dropout', '0'], /\(0, 1\)/],
    [['--generator-dropout', '1'], /\[0, 1\)/],
  ])('rejects %j', (args, message) => {
    expect(() => parseTrainFlags(args)).toThrow(message);
  });

  it.each([
    [['--architecture', 'radford'], /^error: --architecture applies to --model dcgan only: only the DCGAN family has two architectures/],
    [['--downsample', 'strided'], /^error: --downsample applies to --model dcgan, ssgan only: the vanilla GAN has no feature maps/],
    [['--upsample', 'bilinear'], /^error: --upsample applies to --model dcgan, ssgan only: /],
    [['--norm', 'instance'], /^error: --norm instance cannot apply to the tensorflow-classic networks: instance norm normalises feature maps/],
    [['--model', 'ssgan', '--ssl-loss', 'improved', '--upsample', 'transposed'], /^error: --upsample transposed cannot apply to the improved-gan networks: the generator has no upsampling stage/],
    [['--model', 'ssgan', '--ssl-loss', 'improved', '--downsample', 'max-pool'], /^error: --downsample max-pool cannot apply to the improved-gan networks: /],
    [['--model', 'dcgan', '--architecture', 'keras-dcgan', '--bn-batches', 'mixed'], /^error: --bn-batches applies to a discriminator with batch norm .* the keras-dcgan one has none: add --norm batch/],
    [['--bn-batches', 'separate'], /^error: --bn-batches applies to a discriminator with batch norm/],
  ])('forger train %j: a switch the networks cannot take exits 2 saying why, and writes nothing', async (args, message) => {
    const out = join(await mkdtemp(join(tmpdir(), 'forger-arch-')), 'never');
    const { code, err } = await forger('train', '--backend', 'cpu', '--steps', '1', '--out', out, ...args);
    expect(err).toMatch(message);
    expect(code).toBe(ExitCode.usage);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  }, 60_000);

  it('trains a radford DCGAN on MNIST, records the switches, refuses to change them on resume, and generates from it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-radford-'));
    const trained = await forger('train', '--model', 'dcgan', '--architecture', 'radford', '--generator-dropout', '0.2', '--upsample', 'pixel-shuffle',
      // wasm: tfjs's reference cpu backend takes minutes over 64-channel convolutions at 28×28
      '--backend', 'wasm', '--batch-size', '4', '--steps', '1', '--quiet', '--out', folder);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(ExitCode.ok);
    const checkpoint = decodeCheckpoint(await readFile(join(folder, 'final.forger')));
    expect(checkpoint.spec.variant).toBe('radford-dcgan');
    expect(checkpoint.spec.latentPrior).toBe('normal');
    expect(checkpoint.spec.generatorLayers.map((l) => l.kind)).toContain('persistent-dropout');
    expect(checkpoint.spec.generatorLayers.map((l) => l.kind)).toContain('pixel-shuffle');
    expect(JSON.parse(checkpoint.training!.configJson)).toMatchObject({ architecture: 'radford', generatorDropout: 0.2, upsample: 'pixel-shuffle', optimizer: 'adam' });
    expect(checkpoint.training!.optimizers[0]).toMatchObject({ kind: 'adam' });

    const resumed = await forger('train', '--resume', join(folder, 'final.forger'), '--steps', '2', '--upsample', 'transposed', '--backend', 'wasm');
    expect(resumed.code).toBe(ExitCode.usage);
    expect(resumed.err).toMatch(/--upsample transposed differs from the checkpoint's pixel-shuffle/);

    // sampling-time dropout: forger generate draws the masks from --seed, so one seed gives one grid
    const grid = async (seed: string, name: string): Promise<Buffer> => {
      const out = join(folder, name);
      const generated = await forger('generate', '--checkpoint', join(folder, 'final.forger'), '--count', '4', '--seed', seed, '--idx', `${out}.idx`, '--out', `${out}.png`, '--backend', 'wasm');
      expect(generated.code).toBe(ExitCode.ok);
      return readFile(`${out}.idx`);
    };
    expect((await grid('3', 'a')).equals(await grid('3', 'b'))).toBe(true);
  }, 300_000);
});
