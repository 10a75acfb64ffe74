import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, type ModelSpec } from '@forger/core';
import { buildGan } from '../gan.js';
import { createTrainer } from '../training/create-trainer.js';
import { readMetrics } from '../training/metrics.js';
import type { TrainOptions } from '../training/types.js';
import type { ArchitectureOptions } from './architecture-options.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch, labeledBatch, syntheticBatch } from '../test-support/batches.js';
import { tinyDcganSpec, tinyImprovedGanSpec, tinyRadfordDcganSpec, tinySsganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';

beforeAll(useCpuBackend);

/** Three steps of one family from the same seed: its losses and its generator's and discriminator's weights after. */
async function train(spec: ModelSpec, options: TrainOptions = {}): Promise<{ losses: number[]; weights: number[] }> {
  const nets = buildGan(spec, 7);
  const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(3), ...options });
  const losses: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const batch = spec.family === 'ssgan' ? labeledBatch(spec, 11, i, 6) : syntheticBatch(spec, 11, i, 6);
      const metrics = await readMetrics(trainer.step(batch));
      disposeBatch(batch);
      losses.push(metrics['dLoss']!, metrics['gLoss']!);
    }
    const weights = [...nets.generator.variables, ...nets.discriminator.variables].flatMap((v) => Array.from(v.dataSync()));
    return { losses, weights };
  } finally {
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  }
}

type Family = 'vanilla' | 'keras-dcgan' | 'radford-dcgan' | 'ssgan' | 'improved-gan';
const BUILDERS: Record<Family, (arch?: ArchitectureOptions) => ModelSpec> = {
  vanilla: tinyVanillaSpec,
  'keras-dcgan': tinyDcganSpec,
  'radford-dcgan': tinyRadfordDcganSpec,
  ssgan: tinySsganSpec,
  'improved-gan': tinyImprovedGanSpec,
};

/**
 * Every switch value that differs from a family's own layers, for every family it applies to (issue 16: "for every
 * family, a test shows that each switch changes the losses or the parameters").
 */
const CASES: [Family, ArchitectureOptions][] = [
  ['vanilla', { output: 'tanh' }],
  ['keras-dcgan', { output: 'sigmoid' }],
  ['radford-dcgan', { output: 'sigmoid' }],
  ['ssgan', { output: 'sigmoid' }],
  ['improved-gan', { output: 'tanh' }],
  ['vanilla', { latentPrior: 'normal' }],
  ['keras-dcgan', { latentPrior: 'normal' }],
  ['radford-dcgan', { latentPrior: 'uniform' }],
  ['ssgan', { latentPrior: 'normal' }],
  ['improved-gan', { latentPrior: 'normal' }],
  ['vanilla', { activation: 'leaky-relu' }],
  ['keras-dcgan', { activation: 'relu' }],
  ['keras-dcgan', { activation: 'leaky-relu' }],
  ['radford-dcgan', { activation: 'relu' }],
  ['radford-dcgan', { activation: 'leaky-relu' }],
  ['ssgan', { activation: 'relu' }],
  ['ssgan', { activation: 'leaky-relu' }],
  ['improved-gan', { activation: 'leaky-relu' }],
  ['vanilla', { norm: 'batch' }],
  ['keras-dcgan', { norm: 'batch' }],
  ['keras-dcgan', { norm: 'instance' }],
  ['keras-dcgan', { norm: 'none' }],
  ['radford-dcgan', { norm: 'instance' }],
  ['radford-dcgan', { norm: 'none' }],
  ['ssgan', { norm: 'instance' }],
  ['ssgan', { norm: 'none' }],
  ['improved-gan', { norm: 'batch' }],
  ['improved-gan', { norm: 'none' }],
  ['keras-dcgan', { downsample: 'average-pool' }],
  ['keras-dcgan', { downsample: 'strided' }],
  ['radford-dcgan', { downsample: 'max-pool' }],
  ['radford-dcgan', { downsample: 'average-pool' }],
  ['ssgan', { downsample: 'max-pool' }],
  ['ssgan', { downsample: 'average-pool' }],
  ['keras-dcgan', { upsample: 'bilinear' }],
  ['keras-dcgan', { upsample: 'transposed' }],
  ['keras-dcgan', { upsample: 'pixel-shuffle' }],
  ['radford-dcgan', { upsample: 'nearest' }],
  ['radford-dcgan', { upsample: 'bilinear' }],
  ['radford-dcgan', { upsample: 'pixel-shuffle' }],
  ['ssgan', { upsample: 'nearest' }],
  ['ssgan', { upsample: 'bilinear' }],
  ['ssgan', { upsample: 'pixel-shuffle' }],
  ['vanilla', { generatorDropout: 0.3 }],
  ['keras-dcgan', { generatorDropout: 0.3 }],
  ['radford-dcgan', { generatorDropout: 0.3 }],
  ['ssgan', { generatorDropout: 0.3 }],
  ['improved-gan', { generatorDropout: 0.3 }],
  ['vanilla', { discriminatorDropout: 0.3 }],
  ['keras-dcgan', { discriminatorDropout: 0.3 }],
  ['radford-dcgan', { discriminatorDropout: 0.3 }],
];

describe('every architecture switch changes training on every family it applies to', () => {
  const plain = new Map<Family, Promise<{ losses: number[]; weights: number[] }>>();
  const plainOf = (family: Family): Promise<{ losses: number[]; weights: number[] }> => {
    if (!plain.has(family)) plain.set(family, train(BUILDERS[family]()));
    return plain.get(family)!;
  };

  it.each(CASES)('%s with %j', async (family, arch) => {
    const base = await plainOf(family);
    const switched = await train(BUILDERS[family](arch));
    expect(switched.losses.every(Number.isFinite)).toBe(true);
    expect(switched.losses).not.toEqual(base.losses);
  });

  // --bn-batches: a trainer option, on every family whose discriminator has batch norm.
  it.each<[Family, ArchitectureOptions]>([
    ['vanilla', { norm: 'batch' }],
    ['keras-dcgan', { norm: 'batch' }],
    ['radford-dcgan', {}],
    ['ssgan', {}],
    ['improved-gan', { norm: 'batch' }],
  ])('%s %j: mixed batch-norm batches train differently from separate ones', async (family, arch) => {
    const spec = BUILDERS[family](arch);
    // vanilla's only hidden D layer is its input layer, which DCGAN's placement leaves without batch norm
    if (!spec.discriminatorLayers.some((l) => l.kind === 'batch-norm')) {
      expect(family).toBe('vanilla');
      return;
    }
    const separate = await train(spec, { batchNormBatches: 'separate' });
    const mixed = await train(spec, { batchNormBatches: 'mixed' });
    expect(separate).toEqual(await train(spec));
    expect(mixed.losses).not.toEqual(separate.losses);
  });
});
