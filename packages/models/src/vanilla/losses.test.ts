import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { discriminatorLoss, generatorLoss, sigmoidCrossEntropyWithLogits } from './losses.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('GAN losses from logits', () => {
  it('sigmoid cross-entropy equals −t·log σ(x) − (1−t)·log(1−σ(x))', () => {
    const logits = [-3, -0.5, 0, 0.7, 4];
    const targets = [0, 1, 0.9, 0, 1];
    const got = sigmoidCrossEntropyWithLogits(tf.tensor1d(targets), tf.tensor1d(logits)).dataSync();
    logits.forEach((x, i) => {
      const t = targets[i]!;
      expect(got[i]).toBeCloseTo(-t * Math.log(sigmoid(x)) - (1 - t) * Math.log(1 - sigmoid(x)), 5);
    });
  });

  it('stays finite where log(D) would overflow: a logit of ±100', () => {
    const got = sigmoidCrossEntropyWithLogits(1, tf.tensor1d([-100, 100])).dataSync();
    expect(got[0]).toBeCloseTo(100, 3);
    expect(got[1]).toBeCloseTo(0, 6);
  });

  it('D loss is −mean log D(x) − mean log(1 − D(G(z))); one-sided smoothing moves only the real target', () => {
    const real = [2, 0.5];
    const fake = [-1, 0.3];
    const expected = -(Math.log(sigmoid(2)) + Math.log(sigmoid(0.5))) / 2 - (Math.log(1 - sigmoid(-1)) + Math.log(1 - sigmoid(0.3))) / 2;
    expect(discriminatorLoss(tf.tensor1d(real), tf.tensor1d(fake)).dataSync()[0]).toBeCloseTo(expected, 5);
    const smoothReal = real.map((x) => -0.9 * Math.log(sigmoid(x)) - 0.1 * Math.log(1 - sigmoid(x))).reduce((a, b) => a + b) / 2;
    const fakePart = -(Math.log(1 - sigmoid(-1)) + Math.log(1 - sigmoid(0.3))) / 2;
    expect(discriminatorLoss(tf.tensor1d(real), tf.tensor1d(fake), 0.9).dataSync()[0]).toBeCloseTo(smoothReal + fakePart, 5);
  });

  it('G loss is the non-saturating −mean log D(G(z))', () => {
    const fake = [-2, 1];
    expect(generatorLoss(tf.tensor1d(fake)).dataSync()[0]).toBeCloseTo(-(Math.log(sigmoid(-2)) + Math.log(sigmoid(1))) / 2, 5);
  });
});
