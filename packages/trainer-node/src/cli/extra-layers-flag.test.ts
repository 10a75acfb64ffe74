import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@forger/core';
import { ExitCode } from './exit-codes.js';
import type { Dataset } from '@forger/data';
import { familySpec } from '../run/family-spec.js';
import { parseStoredConfig, resolveTrainConfig } from './train-flags.js';
import { forger, parseTrainFlags } from '../test-support/run-cli.js';

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

describe('forger train --extra-layers', () => {
  it("takes one count for both networks or one each (G, then D); Forger's dcgan recipe has three each, keras-dcgan's networks none", () => {
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan'])).extraLayers).toEqual([3, 3]);
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--extra-layers', '0'])).extraLayers).toEqual([0, 0]);
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--architecture', 'keras-dcgan'])).extraLayers).toBeUndefined();
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--recipe', 'keras-dcgan'])).extraLayers).toBeUndefined();
    expect(resolveTrainConfig(parseTrainFlags([])).extraLayers).toBeUndefined();
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--extra-layers', '1'])).extraLayers).toEqual([1, 1]);
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--extra-layers', '0,2'])).extraLayers).toEqual([0, 2]);
    expect(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--extra-layers', '8,0'])).extraLayers).toEqual([8, 0]);
    for (const bad of ['-1', '9', '1,2,3', '1,', 'x', '1.5', '']) {
      expect(() => parseTrainFlags(['--extra-layers', bad]), bad).toThrow(/expected a count from 0 to 8/);
    }
  });

  it('resumes a dcgan checkpoint from before the flag as it was trained: without extra layers', () => {
    const before = resolveTrainConfig(parseTrainFlags(['--model', 'dcgan']));
    delete (before as { extraLayers?: unknown }).extraLayers;
    const stored = parseStoredConfig(JSON.stringify(before), 'old.forger');
    expect(resolveTrainConfig(parseTrainFlags(['--steps', '10']), stored).extraLayers).toBeUndefined();
  });

  it('--extra-layers 0 trains the networks of the DCGAN paper, without the extra layers', () => {
    const config = resolveTrainConfig(parseTrainFlags(['--model', 'dcgan', '--extra-layers', '0']));
    const spec = familySpec(config, { image: { height: 28, width: 28, channels: 1 } } as Dataset);
    expect([...spec.generatorLayers, ...spec.discriminatorLayers].filter((l) => l.name.startsWith('extra_'))).toEqual([]);
    const byDefault = familySpec(resolveTrainConfig(parseTrainFlags(['--model', 'dcgan'])), { image: { height: 28, width: 28, channels: 1 } } as Dataset);
    expect(byDefault.generatorLayers.filter((l) => l.name.startsWith('extra_conv_')).length).toBe(3);
    expect(byDefault.discriminatorLayers.filter((l) => l.name.startsWith('extra_conv_')).length).toBe(3);
  });

  it('exits 2 for another family and for keras-dcgan\'s networks, saying why; nothing is written', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-extra-'));
    const vanilla = await forger('train', '--backend', 'cpu', '--extra-layers', '1', '--steps', '1', '--out', join(folder, 'v'));
    expect(vanilla.code).toBe(ExitCode.usage);
    expect(vanilla.err).toMatch(/^error: --extra-layers applies to --model dcgan only: the extra layers deepen the radford networks' convolutions/);
    for (const args of [['--architecture', 'keras-dcgan'], ['--recipe', 'keras-dcgan']]) {
      const keras = await forger('train', '--backend', 'cpu', '--model', 'dcgan', ...args, '--extra-layers', '1', '--steps', '1', '--out', join(folder, 'k'));
      expect(keras.code).toBe(ExitCode.usage);
      expect(keras.err).toMatch(/^error: --extra-layers deepens the radford networks \(the default\); keras-dcgan's networks keep their measured layers/);
    }
    expect(await exists(join(folder, 'v'))).toBe(false);
    expect(await exists(join(folder, 'k'))).toBe(false);
  }, 60_000);

  it('adds the layers to the checkpoint, trains them, is shown by inspect, and is refused if changed on resume', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-extra-'));
    const out = join(folder, 'run');
    // wasm: tfjs's reference cpu backend takes minutes over 64-channel convolutions at 28×28
    const trained = await forger('train', '--model', 'dcgan', '--extra-layers', '1,2', '--backend', 'wasm', '--batch-size', '4', '--steps', '1', '--quiet', '--out', out);
    expect(trained.code, trained.err).toBe(ExitCode.ok);
    const checkpoint = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    const kernels = (tensors: { name: string; shape: number[] }[] | undefined): [string, number[]][] =>
      (tensors ?? []).filter((t) => t.name.startsWith('extra_conv_')).map((t) => [t.name, t.shape]);
    expect(kernels(checkpoint.generator)).toEqual([['extra_conv_1/kernel', [3, 3, 64, 64]]]);
    expect(kernels(checkpoint.discriminator)).toEqual([['extra_conv_1/kernel', [3, 3, 64, 64]], ['extra_conv_2/kernel', [3, 3, 64, 64]]]);
    expect(JSON.parse(checkpoint.training!.configJson)).toMatchObject({ architecture: 'radford', extraLayers: [1, 2] });
    expect((await forger('inspect', join(out, 'final.forger'))).out).toMatch(/extraLayers=\[1,2\]/);

    const changed = await forger('train', '--resume', join(out, 'final.forger'), '--steps', '2', '--extra-layers', '1', '--backend', 'wasm', '--quiet');
    expect(changed.code).toBe(ExitCode.usage);
    expect(changed.err).toMatch(/--extra-layers 1,1 differs from the checkpoint's 1,2/);
    const again = await forger('train', '--resume', join(out, 'final.forger'), '--steps', '2', '--extra-layers', '1,2', '--backend', 'wasm', '--quiet');
    expect(again.code, again.err).toBe(ExitCode.ok);
    // the resumed step trained the extra layers: their weights moved from step 1's
    const resumed = decodeCheckpoint(await readFile(join(out, 'final.forger')));
    const values = (c: typeof checkpoint, name: string): unknown => c.discriminator?.find((t) => t.name === name)?.data;
    expect(values(resumed, 'extra_conv_2/kernel')).toBeDefined();
    expect(values(resumed, 'extra_conv_2/kernel')).not.toEqual(values(checkpoint, 'extra_conv_2/kernel'));
  }, 300_000);
});
