import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, decodeCheckpoint, encodeCheckpoint, type Checkpoint, type ModelSpec } from '@forger/core';
import { buildGan, checkModel, ganFromCheckpoint, generatorInputShape } from '../gan.js';
import { ModelError } from '../errors.js';
import { createTrainer } from '../training/create-trainer.js';
import { readMetrics } from '../training/metrics.js';
import { generateInChunks } from '../training/generate-in-chunks.js';
import { discriminatorScores } from '../training/sampling.js';
import { latentBatch, sampleLatent } from '../training/latent.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { syntheticBatch } from '../test-support/batches.js';
import { tinyAcganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';
import { acganSpec } from './acgan-spec.js';
import { acganConvSpec } from './acgan-conv-spec.js';
import { checkClassLabels } from './conditioning.js';

beforeAll(useCpuBackend);

function thrown(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return e as ModelError;
  }
  throw new Error('expected a ModelError, nothing was thrown');
}

async function images(generator: Parameters<typeof generateInChunks>[0], spec: ModelSpec, z: Float32Array, labels?: number[]): Promise<Float32Array> {
  const out: Float32Array[] = [];
  for await (const chunk of generateInChunks(generator, spec, z, { chunkSize: 2, ...(labels ? { labels } : {}) })) out.push(chunk.images.slice());
  return Float32Array.from(out.flatMap((a) => Array.from(a)));
}

describe('acgan spec', () => {
  it('MNIST default: G reads z (100) then the one-hot class (10); D outputs 10 class logits and a real/fake logit', () => {
    const spec = acganSpec({ numClasses: 10, classNames: [...'0123456789'] });
    expect(() => checkModel(spec)).not.toThrow();
    expect(generatorInputShape(spec)).toEqual([110]);
    const { generator, discriminator } = buildGan(spec, 1);
    expect(generator.outputShape).toEqual([28, 28, 1]);
    expect(discriminator.outputShape).toEqual([11]);
    expect(discriminator.variables.map((v) => v.shape)).toEqual([[784, 256], [256], [256, 128], [128], [128, 11], [11]]);
    expect(generator.variables.map((v) => v.shape)).toEqual([[110, 128], [128], [128, 256], [256], [256, 784], [784]]);
    generator.dispose();
    discriminator.dispose();
  });

  it('checkModel refuses an acgan discriminator without the K + 1 outputs', () => {
    const spec = tinyAcganSpec();
    const last = spec.discriminatorLayers.at(-1)!;
    const e = thrown(() => checkModel({ ...spec, discriminatorLayers: [...spec.discriminatorLayers.slice(0, -1), { ...last, units: 3 }] }));
    expect(e.code).toBe('bad-spec');
    expect(e.message).toContain('3 class logits and one real/fake logit (4)');
  });
});

describe('acgan conv variant (mnist-acgan\'s networks; untrained here)', () => {
  it('MNIST: G 110 → 3×3×384 → 7×7×192 → 14×14×96 → 28×28×1; D ends in 11 logits; CIFAR-size images start from 4×4', () => {
    const spec = acganConvSpec({ numClasses: 10 });
    expect(() => checkModel(spec)).not.toThrow();
    const { generator, discriminator } = buildGan(spec, 1);
    expect(generator.variables[0]!.shape).toEqual([110, 3 * 3 * 384]); // dense_1/kernel
    expect(generator.outputShape).toEqual([28, 28, 1]);
    expect(discriminator.outputShape).toEqual([11]);
    generator.dispose();
    discriminator.dispose();
    expect(() => checkModel(acganConvSpec({ numClasses: 10, image: { height: 32, width: 32, channels: 3 } }))).not.toThrow();
    expect(() => acganConvSpec({ numClasses: 10, image: { height: 30, width: 30, channels: 1 } })).toThrow(/divisible by 4/);
  });

  it('one cpu step at toy widths changes both networks and the class changes the image', async () => {
    const spec = acganConvSpec({ numClasses: 3, generatorFilters: [4, 3, 2], discriminatorFilters: [2, 2, 3, 3], kernelSizes: [3, 3], image: { height: 20, width: 20, channels: 1 }, latentDim: 4 });
    const nets = buildGan(spec, 2);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(3) });
    const before = [...nets.generator.variables, ...nets.discriminator.variables].map((v) => v.dataSync().slice());
    const batch = syntheticBatch(spec, 1, 0, 4);
    const metrics = await readMetrics(trainer.step({ ...batch, labels: tf.tensor1d([0, 1, 2, 0], 'int32'), fakeLabels: tf.tensor1d([2, 1, 0, 2], 'int32') }));
    const after = [...nets.generator.variables, ...nets.discriminator.variables].map((v) => v.dataSync());
    const g = nets.generator.variables.length;
    const changed = (from: number, to: number): boolean => before.slice(from, to).some((b, i) => b.some((x, j) => x !== after[from + i]![j]));
    expect(changed(0, g)).toBe(true);
    expect(changed(g, before.length)).toBe(true);
    expect(Number.isFinite(metrics['dLoss'])).toBe(true);
    const z = sampleLatent(spec, 1, Rng.fromSeed(4));
    const drawn = await images(nets.generator, spec, Float32Array.from([...z, ...z]), [0, 2]);
    expect(Array.from(drawn.subarray(0, 400))).not.toEqual(Array.from(drawn.subarray(400)));
    trainer.dispose();
  });
});

describe('AcganTrainer', () => {
  function acganBatch(spec: ModelSpec, i: number) {
    const batch = syntheticBatch(spec, 7, i, 6);
    return { ...batch, labels: tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), fakeLabels: tf.tensor1d([2, 2, 1, 1, 0, 0], 'int32') };
  }

  it('one cpu step changes both networks and reports the class losses', async () => {
    const spec = tinyAcganSpec();
    const nets = buildGan(spec, 3);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(1) });
    const before = [...nets.generator.variables, ...nets.discriminator.variables].map((v) => v.dataSync().slice());
    const batch = acganBatch(spec, 0);
    const metrics = await readMetrics(trainer.step(batch));
    const after = [...nets.generator.variables, ...nets.discriminator.variables].map((v) => v.dataSync());
    const changed = (from: number, to: number): boolean => before.slice(from, to).some((b, i) => b.some((x, j) => x !== after[from + i]![j]));
    const g = nets.generator.variables.length;
    expect(changed(0, g)).toBe(true);
    expect(changed(g, before.length)).toBe(true);
    for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake', 'dClassLoss', 'gClassLoss', 'accuracy']) expect(Number.isFinite(metrics[key])).toBe(true);
    // before training, D's class guess on 3 classes costs about ln 3 per image, on real and generated batches alike
    expect(metrics['dClassLoss']).toBeGreaterThan(2 * Math.log(3) * 0.5);
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });

  it('the classifier learns the classes: D\'s class loss falls over a few dozen steps', async () => {
    const spec = tinyAcganSpec();
    const nets = buildGan(spec, 4);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(2), learningRate: 5e-3 });
    // class c is an image of constant brightness c: a classifier learns that in a few steps
    const labels = [0, 1, 2, 0, 1, 2];
    const real = tf.tensor4d(labels.flatMap((c) => Array<number>(16).fill(c - 1)), [6, 4, 4, 1]);
    const step = (i: number) => readMetrics(trainer.step({ real, z: latentBatch(spec, 6, Rng.fromSeed(i)), labels: tf.tensor1d(labels, 'int32'), fakeLabels: tf.tensor1d(labels, 'int32') }));
    const first = await step(0);
    let last = first;
    for (let i = 1; i < 40; i++) last = await step(i);
    expect(last['accuracy']).toBe(1);
    expect(last['dClassLoss']).toBeLessThan(first['dClassLoss']! / 2);
    trainer.dispose();
  });

  it('refuses a batch without the real or the requested classes', () => {
    const spec = tinyAcganSpec();
    const nets = buildGan(spec, 3);
    const trainer = createTrainer(spec, nets);
    const batch = syntheticBatch(spec, 7, 0, 6);
    expect(thrown(() => trainer.step(batch)).message).toContain('labels [6]');
    expect(thrown(() => trainer.step({ ...batch, labels: tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32') })).message).toContain('fakeLabels [6]');
    trainer.dispose();
  });

  it('refuses the loop tricks it does not have; takes a per-network optimizer and steps through stepAsync', async () => {
    const spec = tinyAcganSpec();
    const nets = buildGan(spec, 3);
    for (const options of [{ fakeTarget: 0.1 }, { historicalWindow: 3 }, { dLossThreshold: 1 }, { gLossThreshold: 1 }, { maxUpdatesPerStep: 2 }]) {
      expect(thrown(() => createTrainer(spec, nets, options)).code).toBe('bad-options');
    }
    // the chapter's Adam for G, SGD for D: D's optimizer state has no Adam moments
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(1), discriminatorOptimizerKind: 'sgd' });
    expect(trainer.readsLossesEachStep).toBe(false);
    const metrics = await readMetrics(await trainer.stepAsync(acganBatch(spec, 0)));
    expect(Number.isFinite(metrics['dLoss'])).toBe(true);
    const [g, d] = await trainer.optimizerStates();
    expect(g!.kind).toBe('adam');
    expect(d!.kind).toBe('momentum');
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });
});

describe('conditional generation', () => {
  it('the class changes G\'s output for the same z; the default cycles the classes', async () => {
    const spec = tinyAcganSpec();
    const { generator, discriminator } = buildGan(spec, 5);
    const one = sampleLatent(spec, 1, Rng.fromSeed(9));
    const z = Float32Array.from([...one, ...one, ...one]);
    const explicit = await images(generator, spec, z, [0, 1, 2]);
    const per = 16;
    const a = explicit.subarray(0, per);
    const b = explicit.subarray(per, 2 * per);
    const c = explicit.subarray(2 * per);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(b)).not.toEqual(Array.from(c));
    // same z and class → same image; unspecified classes are 0, 1, 2, ...
    expect(Array.from(await images(generator, spec, z))).toEqual(Array.from(explicit));
    expect(Array.from(await images(generator, spec, z, [1, 1, 1]))).toEqual([...b, ...b, ...b]);
    // D's realness is its last logit's sigmoid: in (0, 1)
    const scores = discriminatorScores(discriminator, tf.tensor4d(explicit, [3, 4, 4, 1]), spec).dataSync();
    expect(Array.from(scores).every((s) => s > 0 && s < 1)).toBe(true);
    generator.dispose();
    discriminator.dispose();
  });

  it('refuses classes out of range, a wrong count, and any class for an unconditional generator', async () => {
    const spec = tinyAcganSpec();
    expect(thrown(() => checkClassLabels(spec, [3], 1)).message).toBe('class 3 (image 1) is not one of the model\'s classes 0 (zero), 1 (one), 2 (two)');
    expect(thrown(() => checkClassLabels(spec, [1.5], 1)).code).toBe('bad-input');
    expect(thrown(() => checkClassLabels(spec, [0, 1], 3)).message).toContain('2 class labels for 3 images');
    const vanilla = tinyVanillaSpec();
    expect(thrown(() => checkClassLabels(vanilla, [0], 1)).message).toContain('unconditional');
    const { generator, discriminator } = buildGan(vanilla, 1);
    await expect(images(generator, vanilla, sampleLatent(vanilla, 1, Rng.fromSeed(1)), [0])).rejects.toThrow(/unconditional/);
    generator.dispose();
    discriminator.dispose();
  });

  it('a checkpoint round trip keeps the classes and the conditional images', async () => {
    const spec = tinyAcganSpec();
    const { generator, discriminator } = buildGan(spec, 6);
    const c: Checkpoint = {
      spec,
      generator: generator.toCheckpointTensors(),
      discriminator: discriminator.toCheckpointTensors(),
      provenance: { createdAt: '2026-12-04T00:00:00Z', forgerVersion: '0.1.0', backend: 'cpu', dataset: 'mnist', metrics: {}, note: '' },
    };
    const back = decodeCheckpoint(encodeCheckpoint(c));
    expect(back.spec.family).toBe('acgan');
    expect(back.spec.numClasses).toBe(3);
    expect(back.spec.classNames).toEqual(['zero', 'one', 'two']);
    const rebuilt = ganFromCheckpoint(back);
    const z = sampleLatent(spec, 3, Rng.fromSeed(2));
    expect(Array.from(await images(rebuilt.generator, back.spec, z, [2, 0, 1]))).toEqual(Array.from(await images(generator, spec, z, [2, 0, 1])));
    [generator, discriminator, rebuilt.generator, rebuilt.discriminator!].forEach((n) => n.dispose());
  });
});
