import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { huberLoss, reconstructionWeight, ssganDiscriminatorTerms, ssganGeneratorLoss } from './ssgan-losses.js';
import { labeledLoss, unlabeledLoss, realScore } from './improved-gan-losses.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

const softmax = (l: number[]): number[] => {
  const e = l.map(Math.exp);
  const s = e.reduce((a, b) => a + b);
  return e.map((v) => v / s);
};
const lse = (l: number[]): number => Math.log(l.map(Math.exp).reduce((a, b) => a + b));
const softplus = (x: number): number => Math.log1p(Math.exp(x));
const huber = (r: number): number => (Math.abs(r) < 1 ? 0.5 * r * r : Math.abs(r) - 0.5);
const value = (t: tf.Tensor): number => t.dataSync()[0]!;

describe('SSGAN-Tensorflow losses', () => {
  it('Huber (δ = 1) is quadratic inside ±1 and linear outside', () => {
    expect(Array.from(huberLoss(tf.zeros([4]), tf.tensor1d([0.5, -0.5, 2, -3])).dataSync())).toEqual([0.125, 0.125, 1.5, 2.5]);
  });

  it('anneals the reconstruction weight from 10 at step 0 to 0 at step 1500', () => {
    expect([0, 750, 1200, 1500, 4000].map((s) => reconstructionWeight(s))).toEqual([10, 5, 2, 0, 0]);
  });

  it('discriminator terms match a hand computation (2 classes + "generated")', () => {
    const lab = [1, 0.2, -0.5]; // label 0
    const unl = [0.3, -0.1, 0.4];
    const fake = [-0.2, 0.1, 1.5];
    const terms = ssganDiscriminatorTerms(tf.tensor2d([unl]), tf.tensor2d([fake]), { logits: tf.tensor2d([lab]), oneHot: tf.tensor2d([[1, 0]]) });
    const pl = softmax(lab);
    expect(value(terms.supervised)).toBeCloseTo((huber(1 - pl[0]!) + huber(0 - pl[1]!)) / 2, 5);
    expect(value(terms.labeled)).toBeCloseTo(-Math.log(pl[0]!), 5);
    expect(value(terms.unlabeled)).toBeCloseTo(-Math.log(1 - softmax(unl)[2]!), 5);
    const pf = softmax(fake);
    expect(value(terms.fake)).toBeCloseTo(-(0.05 * Math.log(pf[0]!) + 0.05 * Math.log(pf[1]!) + 0.9 * Math.log(pf[2]!)), 5);
  });

  it('generator loss is mean log p(generated | G(z)) plus the weighted Huber reconstruction', () => {
    const fake = [0.5, -1, 2];
    const real = tf.tensor2d([[0.2, 0.9]]);
    const image = tf.tensor2d([[0.1, -0.9]]);
    const recon = (huber(0.1 - 0.2) + huber(-0.9 - 0.9)) / 2;
    expect(value(ssganGeneratorLoss(tf.tensor2d([fake]), real, image, 4))).toBeCloseTo(Math.log(softmax(fake)[2]!) + 4 * recon, 5);
  });
});

describe('improved-GAN losses (Salimans et al. 2016)', () => {
  it('labeled loss is the softmax cross-entropy logsumexp(l) − l_y', () => {
    const l = [0.5, 2, -1];
    expect(value(labeledLoss(tf.tensor2d([l]), tf.tensor2d([[0, 1, 0]])))).toBeCloseTo(lse(l) - 2, 5);
  });

  it('unlabeled loss is −log D(x) − log(1 − D(G(z))) with D = Z/(Z+1), halved as in the paper\'s code', () => {
    const u = [0.3, 1, -2];
    const f = [-1, -0.5, 0.2];
    const expected = -0.5 * lse(u) + 0.5 * softplus(lse(u)) + 0.5 * softplus(lse(f));
    expect(value(unlabeledLoss(tf.tensor2d([u]), tf.tensor2d([f])))).toBeCloseTo(expected, 5);
    // The same thing in probability form.
    const d = (l: number[]): number => Math.exp(lse(l)) / (Math.exp(lse(l)) + 1);
    expect(expected).toBeCloseTo(0.5 * (-Math.log(d(u)) - Math.log(1 - d(f))), 5);
    expect(value(realScore(tf.tensor2d([u])))).toBeCloseTo(d(u), 5);
  });
});

describe('label smoothing on the semi-supervised losses (Salimans et al. 2016 §3.4)', () => {
  it('improved: −½[t·log D(x) + (1 − t)·log(1 − D(x))] − ½[f·log D(G(z)) + (1 − f)·log(1 − D(G(z)))], D = Z/(Z + 1)', () => {
    const u = tf.tensor2d([[0.5, -1, 2], [1, 0, -0.5]]);
    const g = tf.tensor2d([[-2, 0.3, 0.1], [0, 0, 0]]);
    const d = (l: tf.Tensor2D): number[] => Array.from(tf.sigmoid(tf.logSumExp(l, 1)).dataSync());
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const smoothed = (t: number, f: number): number =>
      -0.5 * mean(d(u).map((p) => t * Math.log(p) + (1 - t) * Math.log(1 - p))) - 0.5 * mean(d(g).map((p) => f * Math.log(p) + (1 - f) * Math.log(1 - p)));
    expect(unlabeledLoss(u, g).dataSync()[0]).toBeCloseTo(smoothed(1, 0), 5);
    expect(unlabeledLoss(u, g, 0.9, 0.1).dataSync()[0]).toBeCloseTo(smoothed(0.9, 0.1), 5);
    tf.dispose([u, g]);
  });

  it('ssgan: unlabeled images real with probability t; generated ones put f on the classes, 1 − f on "generated"', () => {
    const u = tf.tensor2d([[0.5, -1, 2], [1, 0, -0.5]]);
    const g = tf.tensor2d([[-2, 0.3, 0.1], [0, 0, 0]]);
    const logSoftmax = (l: tf.Tensor2D): number[][] => (tf.logSoftmax(l).arraySync() as number[][]);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const terms = ssganDiscriminatorTerms(u, g, undefined, { real: 0.8, fake: 0.3 });
    // two classes and "generated": p(real) = p(class 0) + p(class 1)
    const expectedUnlabeled = -mean(logSoftmax(u).map((r) => 0.8 * Math.log(Math.exp(r[0]!) + Math.exp(r[1]!)) + 0.2 * r[2]!));
    const expectedFake = -mean(logSoftmax(g).map((r) => 0.15 * r[0]! + 0.15 * r[1]! + 0.7 * r[2]!));
    expect(terms.unlabeled.dataSync()[0]).toBeCloseTo(expectedUnlabeled, 5);
    expect(terms.fake.dataSync()[0]).toBeCloseTo(expectedFake, 5);
    // no targets: SSGAN-Tensorflow's own, 0.9 on "generated"
    const faithful = ssganDiscriminatorTerms(u, g);
    expect(faithful.fake.dataSync()[0]).toBeCloseTo(-mean(logSoftmax(g).map((r) => 0.05 * r[0]! + 0.05 * r[1]! + 0.9 * r[2]!)), 5);
    expect(faithful.unlabeled.dataSync()[0]).toBeCloseTo(-mean(logSoftmax(u).map((r) => Math.log(Math.exp(r[0]!) + Math.exp(r[1]!)))), 5);
    tf.dispose([u, g]);
  });
});
