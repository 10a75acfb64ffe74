import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, decodeCheckpoint, encodeCheckpoint } from '@forger/core';
import { Network } from '../network/network.js';
import { buildGan, discriminatorInputShape, ganFromCheckpoint, generatorInputShape } from '../gan.js';
import { createTrainer } from '../training/create-trainer.js';
import { disposeMetrics } from '../training/metrics.js';
import { generate } from '../training/sampling.js';
import { latentBatch } from '../training/latent.js';
import { ModelError } from '../errors.js';
import { radfordDcganSpec } from './radford-dcgan-spec.js';
import { withArchitecture } from '../architecture/architecture-options.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch, syntheticBatch } from '../test-support/batches.js';
import { tinyRadfordDcganSpec } from '../test-support/tiny-specs.js';

beforeAll(useCpuBackend);

const shapes = (rows: { name: string; shape: number[] }[]): Record<string, number[]> => Object.fromEntries(rows.map((r) => [r.name, r.shape]));

describe('the DCGAN of Radford et al. 2015 (radfordDcganSpec)', () => {
  it('MNIST 28×28×1: G 100 → 7×7×128 → 14×14×64 → 28×28×1, D 28 → 14 → 7 with 64 and 128 filters', () => {
    const spec = radfordDcganSpec();
    expect(spec).toMatchObject({ family: 'dcgan', variant: 'radford-dcgan', latentPrior: 'normal', pixelRange: 'minus-one-one' });
    const g = shapes(Network.parameterShapes(spec.generatorLayers, generatorInputShape(spec)));
    const d = shapes(Network.parameterShapes(spec.discriminatorLayers, discriminatorInputShape(spec)));
    expect(g['project/kernel']).toEqual([100, 7 * 7 * 128]);
    expect(g['deconv_1/kernel']).toEqual([4, 4, 64, 128]);
    expect(g['deconv_2/kernel']).toEqual([4, 4, 1, 64]);
    expect(d['conv2d_1/kernel']).toEqual([4, 4, 1, 64]);
    expect(d['conv2d_2/kernel']).toEqual([4, 4, 64, 128]);
    expect(d['logit/kernel']).toEqual([7 * 7 * 128, 1]);
    expect(Network.outputShapeOf(spec.generatorLayers, [100])).toEqual([28, 28, 1]);
    expect(Network.outputShapeOf(spec.discriminatorLayers, [28, 28, 1])).toEqual([1]);
  });

  it('CIFAR-10 32×32×3: pytorch/examples\' 4×4 base, three stages each side', () => {
    const spec = radfordDcganSpec({ image: { height: 32, width: 32, channels: 3 } });
    const g = shapes(Network.parameterShapes(spec.generatorLayers, generatorInputShape(spec)));
    const d = shapes(Network.parameterShapes(spec.discriminatorLayers, discriminatorInputShape(spec)));
    expect(g['project/kernel']).toEqual([100, 4 * 4 * 256]);
    expect(g['deconv_3/kernel']).toEqual([4, 4, 3, 64]);
    expect(d['conv2d_3/kernel']).toEqual([4, 4, 128, 256]);
    expect(d['logit/kernel']).toEqual([4 * 4 * 256, 1]);
    expect(Network.outputShapeOf(spec.generatorLayers, [100])).toEqual([32, 32, 3]);
    expect(Network.outputShapeOf(spec.discriminatorLayers, [32, 32, 3])).toEqual([1]);
  });

  it('follows the guidelines: no pooling, no hidden dense layer, BN in G and D but not on G\'s output nor D\'s input, ReLU/tanh G, LeakyReLU 0.2 D', () => {
    const spec = radfordDcganSpec();
    const all = [...spec.generatorLayers, ...spec.discriminatorLayers];
    expect(all.some((l) => l.kind.includes('pool') || l.kind === 'upsample')).toBe(false);
    expect(spec.discriminatorLayers.filter((l) => l.kind === 'dense')).toHaveLength(1);
    expect(spec.generatorLayers.at(-1)).toMatchObject({ kind: 'conv2d-transpose', activation: 'tanh', strides: 2 });
    expect(spec.generatorLayers.filter((l) => l.kind === 'batch-norm')).toHaveLength(2);
    expect(spec.discriminatorLayers[0]).toMatchObject({ kind: 'conv2d', strides: 2, activation: 'leaky_relu', rate: 0.2 });
    expect(spec.discriminatorLayers[1]).toMatchObject({ kind: 'conv2d', strides: 2 });
    expect(spec.discriminatorLayers[2]!.kind).toBe('batch-norm');
    const hidden = all.flatMap((l) => (l.activation && l.activation !== 'linear' ? [l.activation] : []));
    expect(new Set(hidden)).toEqual(new Set(['relu', 'tanh', 'leaky_relu']));
    expect(spec.generatorLayers.filter((l) => l.activation === 'leaky_relu')).toEqual([]);
    expect(() => radfordDcganSpec({ image: { height: 20, width: 20, channels: 1 } })).not.toThrow();
    expect(() => radfordDcganSpec({ image: { height: 27, width: 27, channels: 1 } })).toThrow(ModelError);
  });

  it('trains with Adam 2e-4, β1 0.5 by default: one cpu step changes every trainable weight of both networks', async () => {
    const spec = tinyRadfordDcganSpec();
    const nets = buildGan(spec, 1);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(2) });
    const before = [...nets.generator.trainableVariables, ...nets.discriminator.trainableVariables].map((v) => Array.from(v.dataSync()));
    const batch = syntheticBatch(spec, 3, 0, 8);
    disposeMetrics(trainer.step(batch));
    disposeBatch(batch);
    const after = [...nets.generator.trainableVariables, ...nets.discriminator.trainableVariables].map((v) => Array.from(v.dataSync()));
    after.forEach((values, i) => expect(values).not.toEqual(before[i]));
    const [g, d] = await trainer.optimizerStates();
    expect(g).toMatchObject({ kind: 'adam', hyper: { learning_rate: 2e-4, beta1: 0.5 } });
    expect(d).toMatchObject({ kind: 'adam' });
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });

  it("WassersteinGAN's extra layers: 3×3 stride-1 convolutions with batch norm at G's last hidden stage and after D's first convolution", () => {
    const plain = radfordDcganSpec();
    const spec = radfordDcganSpec({ generatorExtraLayers: 2, discriminatorExtraLayers: 1 });
    const g = shapes(Network.parameterShapes(spec.generatorLayers, generatorInputShape(spec)));
    const d = shapes(Network.parameterShapes(spec.discriminatorLayers, discriminatorInputShape(spec)));
    expect(g['extra_conv_1/kernel']).toEqual([3, 3, 64, 64]);
    expect(g['extra_conv_2/kernel']).toEqual([3, 3, 64, 64]);
    expect(g['extra_batch_norm_2/gamma']).toEqual([64]);
    expect(g['extra_conv_3/kernel']).toBeUndefined();
    expect(d['extra_conv_1/kernel']).toEqual([3, 3, 64, 64]);
    expect(d['extra_conv_2/kernel']).toBeUndefined();
    // G: … deconv_1, BN, ReLU, then the extra blocks, then the output layer; D: conv2d_1 + LeakyReLU, then the extra block
    const names = (layers: typeof spec.generatorLayers): string[] => layers.map((l) => l.name);
    expect(names(spec.generatorLayers).slice(-7)).toEqual([
      'extra_conv_1', 'extra_batch_norm_1', 'extra_relu_1', 'extra_conv_2', 'extra_batch_norm_2', 'extra_relu_2', 'deconv_2',
    ]);
    expect(spec.generatorLayers.find((l) => l.name === 'extra_conv_1')).toMatchObject({ kind: 'conv2d', strides: 1, kernelSize: 3, padding: 'same', useBias: false });
    expect(names(spec.discriminatorLayers).slice(0, 4)).toEqual(['conv2d_1', 'extra_conv_1', 'extra_batch_norm_1', 'extra_leaky_relu_1']);
    expect(spec.discriminatorLayers[3]).toMatchObject({ activation: 'leaky_relu', rate: 0.2 });
    // the images and the logits keep their shapes; none by default
    expect(Network.outputShapeOf(spec.generatorLayers, [100])).toEqual([28, 28, 1]);
    expect(Network.outputShapeOf(spec.discriminatorLayers, [28, 28, 1])).toEqual([1]);
    expect(radfordDcganSpec({ generatorExtraLayers: 0, discriminatorExtraLayers: 0 })).toEqual(plain);
    expect(plain.generatorLayers.some((l) => l.name.startsWith('extra_'))).toBe(false);
    // CIFAR-10: the last hidden stage of G has ngf filters (16×16×64), D's first 16×16×64
    const cifar = radfordDcganSpec({ image: { height: 32, width: 32, channels: 3 }, generatorExtraLayers: 1, discriminatorExtraLayers: 1 });
    expect(shapes(Network.parameterShapes(cifar.generatorLayers, generatorInputShape(cifar)))['extra_conv_1/kernel']).toEqual([3, 3, 64, 64]);
    expect(Network.outputShapeOf(cifar.generatorLayers, [100])).toEqual([32, 32, 3]);
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => radfordDcganSpec({ generatorExtraLayers: bad })).toThrow(/generatorExtraLayers is a count of layers/);
      expect(() => radfordDcganSpec({ discriminatorExtraLayers: bad })).toThrow(ModelError);
    }
  });

  it("the extra layers take the architecture switches: --norm instance and --activation leaky-relu reach them", () => {
    const spec = withArchitecture(radfordDcganSpec({ generatorExtraLayers: 1, discriminatorExtraLayers: 1 }), { norm: 'instance', activation: 'leaky-relu' });
    for (const layers of [spec.generatorLayers, spec.discriminatorLayers]) {
      const at = layers.findIndex((l) => l.name === 'extra_conv_1');
      expect(layers[at + 1]!.kind).toBe('instance-norm');
      expect(layers.slice(at + 1, at + 3).some((l) => l.activation === 'leaky_relu')).toBe(true);
      expect(layers.some((l) => l.kind === 'batch-norm')).toBe(false);
    }
  });

  it('trains its extra layers: one cpu step changes their weights in G and D', () => {
    const spec = radfordDcganSpec({ image: { height: 16, width: 16, channels: 1 }, latentDim: 5, generatorFilters: 3, discriminatorFilters: 3, generatorExtraLayers: 1, discriminatorExtraLayers: 1 });
    const nets = buildGan(spec, 1);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(2) });
    const extras = [nets.generator, nets.discriminator].flatMap((n) => n.trainableVariables.filter((v) => n.parameterName(v).startsWith('extra_')));
    expect(extras.length).toBe(6); // kernel, gamma, beta in each network
    const before = extras.map((v) => Array.from(v.dataSync()));
    const batch = syntheticBatch(spec, 3, 0, 8);
    disposeMetrics(trainer.step(batch));
    disposeBatch(batch);
    extras.forEach((v, i) => expect(Array.from(v.dataSync())).not.toEqual(before[i]));
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });

  it('survives a checkpoint round trip: the same images from the rebuilt generator', () => {
    const spec = radfordDcganSpec({ image: { height: 32, width: 32, channels: 3 }, generatorFilters: 8, discriminatorFilters: 8 });
    const nets = buildGan(spec, 5);
    const bytes = encodeCheckpoint({
      spec,
      generator: nets.generator.toCheckpointTensors(),
      discriminator: nets.discriminator.toCheckpointTensors(),
      provenance: { createdAt: '2026-12-04T22:00:00Z', forgerVersion: '0.1.0', backend: 'cpu', dataset: 'cifar10', metrics: {}, note: 'radford' },
    });
    const decoded = decodeCheckpoint(bytes);
    // proto3 drops false and zero fields (useBias: false reads back absent): compare what fixes the networks
    const layout = (layers: typeof spec.generatorLayers): unknown[] => layers.map((l) => [l.kind, l.name, l.units, l.strides, l.activation ?? 'linear']);
    expect(layout(decoded.spec.generatorLayers)).toEqual(layout(spec.generatorLayers));
    expect(layout(decoded.spec.discriminatorLayers)).toEqual(layout(spec.discriminatorLayers));
    expect(decoded.spec.variant).toBe('radford-dcgan');
    const rebuilt = ganFromCheckpoint(decoded);
    const z = latentBatch(spec, 2, Rng.fromSeed(6));
    expect(Array.from(generate(rebuilt.generator, z).dataSync())).toEqual(Array.from(generate(nets.generator, z).dataSync()));
    for (const n of [nets.generator, nets.discriminator, rebuilt.generator, rebuilt.discriminator!]) n.dispose();
  });
});
