import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import type { CheckpointTensor, ModelSpec, OptimizerState, RngState } from '@forger/core';
import { buildClassifier, buildGan, discriminatorInputShape, generatorInputShape } from '../gan.js';
import { Network } from '../network/network.js';
import { createTrainer } from '../training/create-trainer.js';
import { disposeMetrics, readMetrics } from '../training/metrics.js';
import { classify, discriminatorScores } from '../training/sampling.js';
import { withMinibatchDiscrimination } from '../tricks/minibatch-discrimination.js';
import { softmaxCrossEntropy } from './ssgan-losses.js';
import { ClassifierTrainer } from './classifier-trainer.js';
import { classifierSpec } from './classifier-spec.js';
import { ssganSpec } from './ssgan-spec.js';
import { improvedGanSpec } from './improved-gan-spec.js';
import type { GanTrainer, TrainOptions } from '../training/types.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch, labeledBatch } from '../test-support/batches.js';
import { tinyImprovedGanSpec, tinySsganSpec } from '../test-support/tiny-specs.js';
import { countApplyCalls } from '../test-support/apply-calls.js';

beforeAll(useCpuBackend);

/** Cross-entropy of the class outputs on a fixed labeled set, inference mode. */
function supervisedLoss(d: Network, spec: ModelSpec): number {
  const batch = labeledBatch(spec, 1234, 0, 30);
  const loss = tf.tidy(() => {
    const logits = tf.slice(d.apply(batch.labeledReal!, { training: false }), [0, 0], [-1, spec.numClasses]);
    return tf.mean(softmaxCrossEntropy(tf.oneHot(tf.cast(batch.labels!, 'int32') as tf.Tensor1D, spec.numClasses), logits)).dataSync()[0]!;
  });
  disposeBatch(batch);
  return loss;
}

function accuracy(d: Network, spec: ModelSpec): number {
  const batch = labeledBatch(spec, 4321, 0, 60);
  const acc = tf.tidy(() => {
    const { labels } = classify(d, batch.labeledReal!, spec);
    return tf.mean(tf.cast(tf.equal(labels, tf.cast(batch.labels!, 'int32')), 'float32')).dataSync()[0]!;
  });
  disposeBatch(batch);
  return acc;
}

interface SavedRun {
  g: CheckpointTensor[];
  d: CheckpointTensor[];
  o: OptimizerState[];
  extra: CheckpointTensor[];
  rng: RngState;
}

/** What a checkpoint keeps of a run; then the trainer and its networks are disposed. */
async function saveAndDispose(trainer: GanTrainer, rng: Rng): Promise<SavedRun> {
  const saved = {
    g: trainer.generator.toCheckpointTensors(), d: trainer.discriminator.toCheckpointTensors(),
    o: await trainer.optimizerStates(), extra: await trainer.extraTensors(), rng: rng.state(),
  };
  trainer.dispose();
  trainer.generator.dispose();
  trainer.discriminator.dispose();
  return saved;
}

function netsFrom(spec: ModelSpec, saved: SavedRun): { generator: Network; discriminator: Network } {
  return {
    generator: Network.fromCheckpoint(spec.generatorLayers, generatorInputShape(spec), saved.g),
    discriminator: Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), saved.d),
  };
}

function train(trainer: GanTrainer, spec: ModelSpec, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const b = labeledBatch(spec, 7, i);
    disposeMetrics(trainer.step(b));
    disposeBatch(b);
  }
}

describe('family specs', () => {
  it('SSGAN on MNIST: 5×5 stride-2 convs 28 → 14 → 7 → 4, n+1 = 11 logits; G back to 28×28×1', () => {
    const spec = ssganSpec();
    expect(Network.outputShapeOf(spec.discriminatorLayers, discriminatorInputShape(spec))).toEqual([11]);
    expect(Network.outputShapeOf(spec.generatorLayers, generatorInputShape(spec))).toEqual([28, 28, 1]);
    const d = Network.parameterShapes(spec.discriminatorLayers, [28, 28, 1]);
    expect(d.find((p) => p.name === 'logits/kernel')!.shape).toEqual([4 * 4 * 128, 11]);
    expect(spec.discriminatorLayers.filter((l) => l.kind === 'dropout').every((l) => l.rate === 0.5)).toBe(true);
  });

  it('improved-GAN on MNIST: 784-1000-500-250-250-250-10, G 100-500-500-784', () => {
    const spec = improvedGanSpec();
    const d = Network.parameterShapes(spec.discriminatorLayers, [28, 28, 1]).filter((p) => p.name.endsWith('/kernel'));
    expect(d.map((p) => p.shape)).toEqual([[784, 1000], [1000, 500], [500, 250], [250, 250], [250, 250], [250, 10]]);
    const g = Network.parameterShapes(spec.generatorLayers, [100]).filter((p) => p.name.endsWith('/kernel'));
    expect(g.map((p) => p.shape)).toEqual([[100, 500], [500, 500], [500, 784]]);
    // the paper's weight normalisation: hidden scales fixed by data-dependent initialisation, output scales trained
    expect(spec.discriminatorLayers.filter((l) => l.kind === 'dense').map((l) => l.weightNorm)).toEqual([...new Array<string>(5).fill('fixed-scale'), 'trained-scale']);
    expect(spec.generatorLayers.find((l) => l.name === 'output')!.weightNorm).toBe('trained-scale');
  });
});

describe('SemiSupervisedTrainer', () => {
  for (const [name, makeSpec] of [['ssgan', tinySsganSpec], ['improved', tinyImprovedGanSpec]] as const) {
    it(`${name}: a few steps on tiny labeled data lower the supervised loss and beat chance`, async () => {
      const spec = makeSpec();
      const nets = buildGan(spec, 1);
      const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(2), learningRate: name === 'ssgan' ? 2e-3 : 3e-3 });
      const before = supervisedLoss(nets.discriminator, spec);
      train(trainer, spec, 0, 40);
      const after = supervisedLoss(nets.discriminator, spec);
      expect(after).toBeLessThan(before * 0.7);
      expect(accuracy(nets.discriminator, spec)).toBeGreaterThan(0.6); // chance is 1/3
      const b = labeledBatch(spec, 9, 0);
      const m = await readMetrics(trainer.step(b));
      for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake', 'sLoss', 'accuracy']) expect(Number.isFinite(m[k])).toBe(true);
      const scores = discriminatorScores(nets.discriminator, b.real, spec).dataSync();
      scores.forEach((s) => expect(s >= 0 && s <= 1).toBe(true));
      disposeBatch(b);
      trainer.dispose();
      nets.generator.dispose();
      nets.discriminator.dispose();
    });
  }

  it('leaks no tensor across steps (dropout masks, noise, labels, clipping included)', () => {
    for (const spec of [tinySsganSpec(), tinyImprovedGanSpec()]) {
      const nets = buildGan(spec, 1);
      const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(1) });
      train(trainer, spec, 0, 3);
      const after3 = tf.memory().numTensors;
      train(trainer, spec, 3, 12);
      expect(tf.memory().numTensors).toBe(after3);
      trainer.dispose();
      nets.generator.dispose();
      nets.discriminator.dispose();
    }
  });

  it('ssgan clips gradients at global norm 20 by default and reports the norm before clipping', async () => {
    const spec = tinySsganSpec();
    const nets = buildGan(spec, 3);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(1) });
    const b = labeledBatch(spec, 3, 0);
    const m = await readMetrics(trainer.step(b));
    expect(m['dGradientNorm']).toBeGreaterThan(0);
    expect(m['reconstructionWeight']).toBe(10);
    disposeBatch(b);
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });

  it('resumes exactly (dropout masks from the saved rng, batch-norm statistics, Adam state)', async () => {
    const spec = tinySsganSpec();
    const opts = (rng: Rng, startStep = 0): TrainOptions => ({ rng, startStep });
    const straightNets = buildGan(spec, 5);
    const straight = createTrainer(spec, straightNets, opts(Rng.fromSeed(6)));
    train(straight, spec, 0, 5);

    const rng = Rng.fromSeed(6);
    const first = createTrainer(spec, buildGan(spec, 5), opts(rng));
    train(first, spec, 0, 3);
    const saved = await saveAndDispose(first, rng);
    const nets = netsFrom(spec, saved);
    const resumed = createTrainer(spec, nets, opts(Rng.fromState(saved.rng), 3));
    await resumed.restoreOptimizerStates(saved.o);
    train(resumed, spec, 3, 5);
    const a = [...straightNets.generator.variables, ...straightNets.discriminator.variables].map((v) => Array.from(v.dataSync()));
    const b = [...nets.generator.variables, ...nets.discriminator.variables].map((v) => Array.from(v.dataSync()));
    expect(b).toEqual(a);
    for (const t of [straight, resumed]) {
      t.dispose();
      t.generator.dispose();
      t.discriminator.dispose();
    }
  });
});

describe('discriminator forward passes per step', () => {
  it('stacks labeled, unlabeled and generated images into one pass unless a layer looks across the batch', () => {
    const plain = tinyImprovedGanSpec();
    const withMbd = { ...plain, discriminatorLayers: withMinibatchDiscrimination(plain.discriminatorLayers) };
    const passes = (spec: ModelSpec): number => {
      const nets = buildGan(spec, 1);
      const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(2) });
      train(trainer, spec, 0, 1); // data-dependent initialisation happens on the first step
      const calls = countApplyCalls(nets.discriminator, () => train(trainer, spec, 1, 2));
      trainer.dispose();
      nets.generator.dispose();
      nets.discriminator.dispose();
      return calls;
    };
    expect(passes(plain)).toBe(1); // D step; the G step's feature matching goes through applyWithFeatures
    expect(passes(withMbd)).toBe(3); // unlabeled, generated, labeled: minibatch features compare images of one batch only
  });
});

describe('improved-GAN training state', () => {
  it('initialises the weight-normalised D from the first batch only, and resumes exactly with its evaluation average', async () => {
    const spec = tinyImprovedGanSpec();
    const scale = (net: Network): number[] => Array.from(net.variable('dense_1/scale').dataSync());
    const straightNets = buildGan(spec, 5);
    const straight = createTrainer(spec, straightNets, { rng: Rng.fromSeed(6) });
    expect(scale(straightNets.discriminator).every((v) => v === 1)).toBe(true);
    train(straight, spec, 0, 1);
    const initialised = scale(straightNets.discriminator);
    expect(initialised.some((v) => Math.abs(v - 1) > 0.01)).toBe(true);
    train(straight, spec, 1, 5);
    expect(scale(straightNets.discriminator)).toEqual(initialised); // fixed-scale: not trained, not re-initialised
    const straightAverage = await straight.extraTensors();
    expect(straightAverage.map((t) => t.name)).toContain('evaluation_average/discriminator/dense_1/kernel');

    const rng = Rng.fromSeed(6);
    const first = createTrainer(spec, buildGan(spec, 5), { rng });
    train(first, spec, 0, 3);
    const saved = await saveAndDispose(first, rng);
    const nets = netsFrom(spec, saved);
    const resumed = createTrainer(spec, nets, { rng: Rng.fromState(saved.rng), startStep: 3 });
    await resumed.restoreOptimizerStates(saved.o);
    resumed.restoreExtraTensors(saved.extra);
    train(resumed, spec, 3, 5);
    const values = (n: { generator: Network; discriminator: Network }): number[][] => [...n.generator.variables, ...n.discriminator.variables].map((v) => Array.from(v.dataSync()));
    expect(values(nets)).toEqual(values(straightNets));
    expect(await resumed.extraTensors()).toEqual(straightAverage);
    for (const t of [straight, resumed]) {
      t.dispose();
      t.generator.dispose();
      t.discriminator.dispose();
    }
  });
});

describe('ClassifierTrainer (the supervised baseline)', () => {
  it('trains the same discriminator network on labels only', async () => {
    const spec = classifierSpec(tinySsganSpec());
    expect(spec.family).toBe('classifier');
    expect(spec.generatorLayers).toEqual([]);
    const classifier = buildClassifier(spec, 1);
    const trainer = new ClassifierTrainer(spec, classifier, { rng: Rng.fromSeed(3), optimizer: { kind: 'adam', learningRate: 2e-3, beta1: 0.5 } });
    const before = supervisedLoss(classifier, spec);
    for (let i = 0; i < 30; i++) {
      const b = labeledBatch(spec, 11, i);
      const { loss, accuracy: acc } = trainer.step({ labeledReal: b.labeledReal!, labels: b.labels! });
      tf.dispose([loss, acc]);
      disposeBatch(b);
    }
    expect(supervisedLoss(classifier, spec)).toBeLessThan(before * 0.7);
    expect(trainer.stepsDone).toBe(30);
    expect((await trainer.optimizerStates())[0]!.iterations).toBe(30);
    trainer.dispose();
    classifier.dispose();
  });
});
