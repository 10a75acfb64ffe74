import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import type { LayerSpec } from '@forger/core';
import { ModelError } from '../../errors.js';
import { Network } from '../network.js';
import { useCpuBackend } from '../../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

const IN = 5;
const UNITS = 3;

/** A batch far from zero mean and unit variance, so that initialisation has something to do. */
function batch(seed: number, n = 40): tf.Tensor2D {
  const values = Rng.fromSeed(seed).fillNormal(new Float32Array(n * IN), 0, 1).map((v, i) => 3 * v + (i % IN) - 2);
  return tf.tensor2d(values, [n, IN]);
}

/** Per-column mean and biased variance, computed in JS. */
function columnMoments(rows: number[][]): { mean: number[]; variance: number[] } {
  const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const variance = mean.map((m, j) => rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / rows.length);
  return { mean, variance };
}

describe('dense layer with weight normalisation (Salimans & Kingma 2016)', () => {
  const layer = (weightNorm: LayerSpec['weightNorm'], activation: LayerSpec['activation'] = 'linear'): LayerSpec => ({
    kind: 'dense', name: 'wn', units: UNITS, activation, useBias: true, weightNorm,
  });

  it('computes x · kernel · scale / ‖kernel‖ per unit, plus the bias', () => {
    const net = Network.create([layer('trained-scale')], [IN], Rng.fromSeed(3));
    net.variable('wn/scale').assign(tf.tensor1d([0.5, 2, -1]));
    net.variable('wn/bias').assign(tf.tensor1d([0.1, 0, -0.3]));
    const kernel = net.variable('wn/kernel').arraySync() as number[][];
    const x = batch(1, 4);
    const got = net.apply(x, { training: true }).arraySync() as number[][];
    const rows = x.arraySync();
    const scale = [0.5, 2, -1];
    const bias = [0.1, 0, -0.3];
    for (let j = 0; j < UNITS; j++) {
      const norm = Math.sqrt(kernel.reduce((s, row) => s + row[j]! ** 2, 0));
      for (let i = 0; i < rows.length; i++) {
        const dot = rows[i]!.reduce((s, v, k) => s + v * kernel[k]![j]!, 0);
        expect(got[i]![j]).toBeCloseTo((dot * scale[j]!) / norm + bias[j]!, 4);
      }
    }
    // The kernel's length does not matter, only its direction.
    net.variable('wn/kernel').assign(tf.mul(net.variable('wn/kernel'), 7));
    const scaled = net.apply(x, { training: true }).arraySync() as number[][];
    scaled.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(got[i]![j]!, 4)));
    net.dispose();
  });

  it('trains the scale only when asked: fixed-scale layers train direction and bias', () => {
    const fixed = Network.create([layer('fixed-scale')], [IN], Rng.fromSeed(3));
    const trained = Network.create([layer('trained-scale')], [IN], Rng.fromSeed(3));
    expect(fixed.trainableVariables.map((v) => fixed.parameterName(v))).toEqual(['wn/kernel', 'wn/bias']);
    expect(trained.trainableVariables.map((v) => trained.parameterName(v))).toEqual(['wn/kernel', 'wn/scale', 'wn/bias']);
    expect(Network.parameterShapes([layer('fixed-scale')], [IN])).toContainEqual({ name: 'wn/scale', shape: [UNITS], trainable: false });
    fixed.dispose();
    trained.dispose();
  });

  it('data-dependent initialisation gives the batch zero mean and unit variance before the activation, layer by layer', () => {
    const spec: LayerSpec[] = [
      { ...layer('fixed-scale', 'relu'), name: 'wn_1' },
      { ...layer('trained-scale'), name: 'wn_2' },
    ];
    const net = Network.create(spec, [IN], Rng.fromSeed(5));
    expect(net.needsDataInitialization).toBe(true);
    const x = batch(2);
    net.initializeFromData(x);
    // After initialisation the same batch gives standardised pre-activations in the second (linear) layer,
    // which saw the first layer's output as already initialised.
    const { mean, variance } = columnMoments(net.apply(x, { training: true }).arraySync() as number[][]);
    mean.forEach((m) => expect(m).toBeCloseTo(0, 4));
    variance.forEach((v) => expect(v).toBeCloseTo(1, 3));
    // The first layer's pre-activations too: undo its ReLU by reading x·W + b directly.
    const first = Network.fromCheckpoint([{ ...spec[0]!, activation: 'linear' }], [IN], net.toCheckpointTensors().filter((t) => t.name.startsWith('wn_1/')));
    const firstMoments = columnMoments(first.apply(x, { training: true }).arraySync() as number[][]);
    firstMoments.mean.forEach((m) => expect(m).toBeCloseTo(0, 4));
    firstMoments.variance.forEach((v) => expect(v).toBeCloseTo(1, 3));
    first.dispose();
    net.dispose();
  });

  it('plain networks need no initialisation, and a batch of one cannot give a variance', () => {
    const plain = Network.create([{ kind: 'dense', name: 'd', units: 2, useBias: true }], [IN], Rng.fromSeed(1));
    expect(plain.needsDataInitialization).toBe(false);
    plain.dispose();
    const net = Network.create([layer('fixed-scale')], [IN], Rng.fromSeed(1));
    expect(() => net.initializeFromData(batch(1, 1))).toThrowError(ModelError);
    expect(() => net.initializeFromData(batch(1, 1))).toThrowError(/at least 2 images/);
    net.dispose();
  });

  it('leaves no tensor behind', () => {
    const net = Network.create([layer('fixed-scale', 'relu')], [IN], Rng.fromSeed(1));
    const x = batch(4);
    const before = tf.memory().numTensors;
    net.initializeFromData(x);
    tf.tidy(() => {
      net.apply(x, { training: true });
    });
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});

describe('feature matching reads the activations before training-time noise', () => {
  it('gives the same features whatever noise is drawn after the last hidden layer', () => {
    const spec: LayerSpec[] = [
      { kind: 'dense', name: 'hidden', units: 4, activation: 'relu', useBias: true },
      { kind: 'gaussian-noise', name: 'noise', rate: 0.5 },
      { kind: 'dense', name: 'logits', units: 2, useBias: true },
    ];
    const net = Network.create(spec, [IN], Rng.fromSeed(1));
    const x = batch(3, 6);
    const a = net.applyWithFeatures(x, { training: true, rng: Rng.fromSeed(10) });
    const b = net.applyWithFeatures(x, { training: true, rng: Rng.fromSeed(11) });
    expect(a.features.arraySync()).toEqual(b.features.arraySync());
    expect(a.output.arraySync()).not.toEqual(b.output.arraySync()); // the noise is there, after the features
    expect(a.features.shape).toEqual([6, 4]);
    net.dispose();
  });
});
