import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { discriminatorLoss, generatorLoss, meanSigmoidCrossEntropy, sigmoidCrossEntropyWithLogits, weightedSigmoidCrossEntropy } from './losses.js';
import { ModelError } from '../errors.js';
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

  // The hand-written gradients replace tfjs's kernel-by-kernel ones; they must agree with autodiff of the plain formula.
  const plainCrossEntropy = (t: tf.Tensor, x: tf.Tensor): tf.Tensor =>
    tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));

  it('the gradient of the cross-entropy is (σ(x) − t)·dy, as autodiff of the plain formula gives', () => {
    const logits = tf.tensor2d([[-30], [-2], [-0.1], [0], [0.4], [3], [25]]);
    const dy = tf.tensor2d([[0.5], [-1], [2], [1], [0.3], [-0.7], [1.5]]);
    for (const target of [0, 1, 0.9, tf.tensor2d([[1], [0], [0.9], [1], [0], [0.5], [0]])]) {
      const t = typeof target === 'number' ? tf.fill(logits.shape, target) : target;
      const fast = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(sigmoidCrossEntropyWithLogits(target, x), dy)))(logits).arraySync() as number[][];
      const plain = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(plainCrossEntropy(t, x), dy)))(logits).arraySync() as number[][];
      fast.forEach((row, i) => expect(row[0]).toBeCloseTo(plain[i]![0]!, 6));
    }
  });

  it('a stacked batch with per-row targets and weights gives the two-batch D loss and its gradient', () => {
    const real = [2, 0.5, -1.5];
    const fake = [-1, 0.3];
    const stacked = tf.tensor2d([...real, ...fake], [5, 1]);
    const targets = tf.tensor2d([0.9, 0.9, 0.9, 0, 0], [5, 1]);
    const weights = tf.tensor2d([1 / 3, 1 / 3, 1 / 3, 1 / 2, 1 / 2], [5, 1]);
    const twoBatches = (x: tf.Tensor): tf.Scalar => discriminatorLoss(tf.slice(x, [0, 0], [3, 1]), tf.slice(x, [3, 0], [2, 1]), 0.9);
    const oneBatch = (x: tf.Tensor): tf.Scalar => weightedSigmoidCrossEntropy(x, targets, weights);
    expect(oneBatch(stacked).dataSync()[0]).toBeCloseTo(twoBatches(stacked).dataSync()[0]!, 6);
    const a = tf.grad(oneBatch)(stacked).dataSync();
    const b = tf.grad(twoBatches)(stacked).dataSync();
    b.forEach((g, i) => expect(a[i]).toBeCloseTo(g, 6));
  });

  it('the mean over a batch differentiates to (σ(x) − t)/n', () => {
    const logits = tf.tensor1d([-1, 0, 2, 5]);
    const grad = tf.grad((x: tf.Tensor) => meanSigmoidCrossEntropy(1, x))(logits).dataSync();
    [-1, 0, 2, 5].forEach((x, i) => expect(grad[i]).toBeCloseTo((sigmoid(x) - 1) / 4, 7));
  });

  it('refuses targets that would broadcast the loss beyond the logits, naming both shapes', () => {
    expect(() => sigmoidCrossEntropyWithLogits(tf.zeros([4, 1]), tf.zeros([2, 1]))).toThrow(ModelError);
    expect(() => weightedSigmoidCrossEntropy(tf.zeros([2, 1]), 1, tf.zeros([3, 1]))).toThrow(/weights of shape \[3, 1\].*\[2, 1\]/);
  });
});
