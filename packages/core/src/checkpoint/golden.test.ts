// proto/testdata/golden-v1.forger is committed: if a change to the schema or
// the codec stops this file from reading with exactly this content, old
// checkpoints in users' hands would break too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FLOAT16_VALUES, goldenCheckpoint } from '../test-support/golden.js';
import { decodeCheckpoint } from './decode.js';
import { checkpointTensorToFloat32 } from './tensor.js';

const goldenPath = fileURLToPath(new URL('../../../../proto/testdata/golden-v1.forger', import.meta.url));
const bytes = new Uint8Array(readFileSync(goldenPath));
const c = decodeCheckpoint(bytes);
const values = (t: { name: string } | undefined) => [...checkpointTensorToFloat32(t as never)];

describe('golden file proto/testdata/golden-v1.forger', () => {
  it('starts with the envelope magic', () => {
    expect(new TextDecoder().decode(bytes.subarray(2, 10))).toBe('FORGERCK');
  });

  it('has the spec it was written with', () => {
    expect(c.spec.family).toBe('dcgan');
    expect(c.spec.variant).toBe('golden');
    expect([c.spec.latentDim, c.spec.latentPrior, c.spec.pixelRange]).toEqual([2, 'normal', 'minus-one-one']);
    expect(c.spec.image).toEqual({ height: 2, width: 2, channels: 1 });
    expect(c.spec.generatorLayers.map((l) => `${l.kind}:${l.name}`)).toEqual([
      'dense:g_dense',
      'batch-norm:g_bn',
      'activation:g_act',
      'dense:g_out',
      'reshape:g_reshape',
    ]);
    expect(c.spec.generatorLayers[1]).toEqual({ kind: 'batch-norm', name: 'g_bn', epsilon: 0.001, momentum: 0.99 });
    expect(c.spec.discriminatorLayers[0]).toEqual({
      kind: 'conv2d',
      name: 'd_conv',
      units: 2,
      kernelSize: 2,
      strides: 1,
      padding: 'valid',
      activation: 'leaky_relu',
      rate: 0.2,
    });
  });

  it('has every tensor with its name, shape, dtype and values', () => {
    expect(c.generator.map((t) => [t.name, t.shape, t.dtype])).toEqual([
      ['g_dense/kernel', [2, 3], 'float32'],
      ['g_dense/bias', [3], 'float32'],
      ['g_bn/gamma', [3], 'float32'],
      ['g_bn/beta', [3], 'float32'],
      ['g_bn/moving_mean', [3], 'float32'],
      ['g_bn/moving_variance', [3], 'float32'],
      ['g_out/kernel', [3, 4], 'float16'],
    ]);
    expect(values(c.generator[0])).toEqual([0.5, -1.25, 3, Math.fround(0.001), Math.fround(-0.002), 7]);
    expect(values(c.generator[5])).toEqual([1, 2, 4]);
    expect(values(c.generator[6])).toEqual(GOLDEN_FLOAT16_VALUES);
    expect(Object.is(values(c.generator[6])[11], -0)).toBe(true);
    const [conv, , dense] = c.discriminator;
    expect([conv!.dtype, conv!.scale, conv!.quantAxis]).toEqual(['int8', [0.5], undefined]);
    expect(values(conv)).toEqual([-63.5, 0, 32, 63.5, 0.5, -0.5, 1, -1]);
    expect([dense!.dtype, dense!.scale, dense!.quantAxis]).toEqual(['int8', [0.25, 1], 1]);
    expect(values(dense)).toEqual([0.25, 2, -0.75, -4]);
  });

  it('has the training state and provenance', () => {
    const t = c.training!;
    expect([t.step, t.epoch]).toEqual([2 ** 32 + 5, 3]);
    expect(t.optimizers.map((o) => [o.network, o.kind, o.iterations, o.slots.map((s) => s.name)])).toEqual([
      ['discriminator', 'adam', 2 ** 32 + 5, ['d_out/bias/m', 'd_out/bias/v']],
      ['generator', 'sgd', 17, []],
    ]);
    expect(t.optimizers[0]!.hyper).toEqual({ learning_rate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 });
    expect(t.rng).toEqual({ algorithm: 'xoshiro128**', words: [1, 2, 3, 4294967295] });
    expect(t.data).toEqual({ dataset: 'mnist', split: 'train', shuffleSeed: 42, epoch: 3, nextIndex: 640 });
    expect(t.configJson).toBe('{"batchSize":64,"family":"dcgan"}');
    expect(values(t.extra[0])).toEqual([-1, 1]);
    expect(c.provenance).toMatchObject({ createdAt: '2026-11-26T00:00:00Z', backend: 'cpu', metrics: { d_loss: 0.5, g_loss: 2.25 } });
  });

  it('equals, field for field, the checkpoint scripts/write-golden.ts writes', () => {
    expect(c).toEqual(goldenCheckpoint());
  });
});
