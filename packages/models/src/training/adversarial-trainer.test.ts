import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import type { ModelSpec } from '@forger/core';
import { buildGan, ganFromCheckpoint } from '../gan.js';
import { Network } from '../network/network.js';
import { createTrainer } from './create-trainer.js';
import { disposeMetrics, readMetrics } from './metrics.js';
import { discriminatorLoss } from '../vanilla/losses.js';
import { SMOOTHED_FAKE_TARGET, SMOOTHED_REAL_TARGET } from '../tricks/label-smoothing.js';
import { withMinibatchDiscrimination } from '../tricks/minibatch-discrimination.js';
import type { GanTrainer, TrainOptions } from './types.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { disposeBatch, syntheticBatch } from '../test-support/batches.js';
import { countApplyCalls } from '../test-support/apply-calls.js';
import { tinyDcganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';
import { discriminatorInputShape, generatorInputShape } from '../gan.js';

beforeAll(useCpuBackend);

function runSteps(trainer: GanTrainer, spec: ModelSpec, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const batch = syntheticBatch(spec, 99, i);
    disposeMetrics(trainer.step(batch));
    disposeBatch(batch);
  }
}

function readMetricsSync(metrics: Record<string, tf.Scalar>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v.dataSync()[0]!]));
}

function weights(trainer: GanTrainer): Float32Array[] {
  return [...trainer.generator.variables, ...trainer.discriminator.variables].map((v) => v.dataSync() as Float32Array);
}

/** N + M uninterrupted steps against N steps, a save/restore through checkpoint tensors, and M more. */
async function resumeMatches(spec: ModelSpec, options: TrainOptions, n: number, m: number): Promise<void> {
  const straight = createTrainer(spec, buildGan(spec, 3), { ...options, rng: options.rng ? Rng.fromSeed(5) : undefined });
  runSteps(straight, spec, 0, n + m);

  const layerRng = options.rng ? Rng.fromSeed(5) : undefined;
  const first = createTrainer(spec, buildGan(spec, 3), { ...options, rng: layerRng });
  runSteps(first, spec, 0, n);
  const saved = {
    generator: first.generator.toCheckpointTensors(),
    discriminator: first.discriminator.toCheckpointTensors(),
    optimizers: await first.optimizerStates(),
    extra: await first.extraTensors(),
    rng: layerRng?.state(),
  };
  first.generator.dispose();
  first.discriminator.dispose();
  first.dispose();

  const nets = {
    generator: Network.fromCheckpoint(spec.generatorLayers, generatorInputShape(spec), saved.generator, 'generator'),
    discriminator: Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), saved.discriminator, 'discriminator'),
  };
  const resumed = createTrainer(spec, nets, { ...options, rng: saved.rng ? Rng.fromState(saved.rng) : undefined, startStep: n });
  await resumed.restoreOptimizerStates(saved.optimizers);
  resumed.restoreExtraTensors(saved.extra);
  runSteps(resumed, spec, n, n + m);

  expect(resumed.stepsDone).toBe(n + m);
  const a = weights(straight);
  const b = weights(resumed);
  expect(b.length).toBe(a.length);
  a.forEach((w, i) => expect(Array.from(b[i]!)).toEqual(Array.from(w)));
  for (const t of [straight, resumed]) {
    t.generator.dispose();
    t.discriminator.dispose();
    t.dispose();
  }
}

describe('exact resume: N steps + save/restore + M steps = N + M steps, bit for bit', () => {
  it('vanilla GAN with Adam', () => resumeMatches(tinyVanillaSpec(), {}, 5, 4));
  it('DCGAN with keras-dcgan SGD (Nesterov momentum), batch norm included', () => resumeMatches(tinyDcganSpec(), {}, 3, 3));
  it('DCGAN with Adam 2e-4, β1 0.5', () => resumeMatches(tinyDcganSpec(), { optimizer: 'adam' }, 3, 3));
  it('with every trick on (smoothing, feature matching, historical averaging)', () =>
    resumeMatches(tinyVanillaSpec(), { realTarget: 0.9, featureMatching: true, historicalAveraging: 0.01 }, 4, 3));
});

describe('AdversarialTrainer', () => {
  it('leaks no tensor: the count after step 10 equals the count after step 100', () => {
    const spec = tinyVanillaSpec();
    const trainer = createTrainer(spec, buildGan(spec, 1));
    let at10 = -1;
    for (let i = 0; i < 100; i++) {
      const batch = syntheticBatch(spec, 1, i);
      disposeMetrics(trainer.step(batch));
      disposeBatch(batch);
      if (i === 9) at10 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at10);
    trainer.generator.dispose();
    trainer.discriminator.dispose();
    trainer.dispose();
  });

  it('returns dLoss, gLoss, mean D(x) and mean D(G(z)) as scalars the caller reads', async () => {
    const spec = tinyDcganSpec();
    const trainer = createTrainer(spec, buildGan(spec, 2));
    const batch = syntheticBatch(spec, 2, 0);
    const metrics = trainer.step(batch);
    const values = await readMetrics(metrics);
    for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake']) expect(Number.isFinite(values[k])).toBe(true);
    expect(values['dReal']).toBeGreaterThan(0);
    expect(values['dReal']).toBeLessThan(1);
    // At initialisation D is near chance: loss ≈ 2·log 2.
    expect(values['dLoss']).toBeGreaterThan(1);
    expect(values['dLoss']).toBeLessThan(1.8);
    disposeMetrics(metrics);
    disposeBatch(batch);
    trainer.generator.dispose();
    trainer.discriminator.dispose();
    trainer.dispose();
  });

  it('a discriminator trained alone learns to tell the real blobs from the generator\'s output', async () => {
    const spec = tinyVanillaSpec();
    const trainer = createTrainer(spec, buildGan(spec, 4), { discriminatorOptimizer: { kind: 'adam', learningRate: 0.01 }, generatorOptimizer: { kind: 'sgd', learningRate: 0 } });
    const losses: number[] = [];
    for (let i = 0; i < 80; i++) {
      const batch = syntheticBatch(spec, 4, i, 8);
      const m = trainer.step(batch);
      losses.push((await readMetrics(m))['dLoss']!);
      disposeMetrics(m);
      disposeBatch(batch);
    }
    const last = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    expect(last).toBeLessThan(losses[0]! / 2);
    trainer.generator.dispose();
    trainer.discriminator.dispose();
    trainer.dispose();
  });

  it('initialises a weight-normalised discriminator from the first real batch, whatever the family', () => {
    const base = tinyVanillaSpec();
    const spec: ModelSpec = {
      ...base,
      discriminatorLayers: base.discriminatorLayers.map((l, i) => (l.kind === 'dense' && i === base.discriminatorLayers.findIndex((k) => k.kind === 'dense') ? { ...l, weightNorm: 'fixed-scale' as const } : l)),
    };
    const first = spec.discriminatorLayers.find((l) => l.weightNorm)!.name;
    const nets = buildGan(spec, 1);
    const trainer = createTrainer(spec, nets, { rng: Rng.fromSeed(1) });
    const scale = (): number[] => Array.from(nets.discriminator.variable(`${first}/scale`).dataSync());
    expect(scale().every((v) => v === 1)).toBe(true);
    for (let i = 0; i < 2; i++) {
      const b = syntheticBatch(spec, 3, i);
      disposeMetrics(trainer.step(b));
      disposeBatch(b);
      if (i === 0) expect(scale().some((v) => Math.abs(v - 1) > 0.01)).toBe(true);
    }
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  });

  it('stacks real and generated images into one D pass with the two-batch loss, unless D looks across the batch', () => {
    const plain = tinyDcganSpec();
    const withMbd = { ...plain, discriminatorLayers: withMinibatchDiscrimination(plain.discriminatorLayers) };
    // The D step's loss and scores, one pass (plain) or two (withMbd), against discriminatorLoss on two passes with the
    // same weights, two-sided smoothing included (0.9 / 0.1: the stacked rows carry both targets).
    for (const spec of [plain, withMbd]) {
      const nets = buildGan(spec, 8);
      const trainer = createTrainer(spec, nets, { realTarget: SMOOTHED_REAL_TARGET, fakeTarget: SMOOTHED_FAKE_TARGET });
      const batch = syntheticBatch(spec, 4, 0);
      const expected = tf.tidy(() => {
        const fake = nets.generator.apply(batch.z, { training: true, updateStatistics: false });
        const real = nets.discriminator.apply(batch.real, { training: true });
        const generated = nets.discriminator.apply(fake, { training: true });
        return [discriminatorLoss(real, generated, SMOOTHED_REAL_TARGET, SMOOTHED_FAKE_TARGET), tf.mean(tf.sigmoid(real)), tf.mean(tf.sigmoid(generated))].map((t) => t.dataSync()[0]!);
      });
      const metrics = trainer.step(batch);
      const got = readMetricsSync(metrics);
      expect(got.dLoss).toBeCloseTo(expected[0]!, 5);
      expect(got.dReal).toBeCloseTo(expected[1]!, 5);
      expect(got.dFake).toBeCloseTo(expected[2]!, 5);
      disposeMetrics(metrics);
      disposeBatch(batch);
      trainer.dispose();
    }

    const passes = (s: ModelSpec): number => {
      const n = buildGan(s, 1);
      const t = createTrainer(s, n, {});
      const calls = countApplyCalls(n.discriminator, () => runSteps(t, s, 0, 1));
      t.dispose();
      n.generator.dispose();
      n.discriminator.dispose();
      return calls;
    };
    expect(passes(plain)).toBe(2); // D step (real + generated stacked), G step
    expect(passes(withMbd)).toBe(3); // minibatch features compare images of one batch only: real and generated apart
  });

  it('ganFromCheckpoint rebuilds both networks from a checkpoint object', () => {
    const spec = tinyDcganSpec();
    const { generator, discriminator } = buildGan(spec, 9);
    const c = {
      spec,
      generator: generator.toCheckpointTensors(),
      discriminator: discriminator.toCheckpointTensors(),
      provenance: { createdAt: '', forgerVersion: '', backend: 'cpu', dataset: '', metrics: {}, note: '' },
    };
    const rebuilt = ganFromCheckpoint(c);
    const z = tf.randomUniform([2, spec.latentDim], -1, 1, 'float32', 1);
    expect(Array.from(rebuilt.generator.apply(z, { training: false }).dataSync())).toEqual(Array.from(generator.apply(z, { training: false }).dataSync()));
    expect(rebuilt.discriminator).toBeDefined();
    const genOnly = ganFromCheckpoint({ ...c, discriminator: [] });
    expect(genOnly.discriminator).toBeUndefined();
    [generator, discriminator, rebuilt.generator, rebuilt.discriminator!, genOnly.generator].forEach((n) => n.dispose());
  });
});
