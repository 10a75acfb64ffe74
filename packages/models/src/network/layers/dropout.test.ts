import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network.js';
import { ModelError } from '../../errors.js';
import { useCpuBackend } from '../../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

describe('dropout and gaussian-noise layers', () => {
  const ones = (): tf.Tensor => tf.ones([50, 40]);

  it('dropout zeroes about `rate` of the values, scales the rest by 1/(1−rate), reproducibly from the rng', () => {
    const net = Network.create([{ kind: 'dropout', name: 'drop', rate: 0.5 }], [40], Rng.fromSeed(1));
    const a = net.apply(ones(), { training: true, rng: Rng.fromSeed(9) }).dataSync();
    const b = net.apply(ones(), { training: true, rng: Rng.fromSeed(9) }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(new Set(a)).toEqual(new Set([0, 2]));
    const kept = a.filter((v) => v !== 0).length / a.length;
    expect(kept).toBeGreaterThan(0.45);
    expect(kept).toBeLessThan(0.55);
    expect(Array.from(net.apply(ones(), { training: false }).dataSync()).every((v) => v === 1)).toBe(true);
    net.dispose();
  });

  it('gaussian noise has the configured standard deviation in training and vanishes at inference', () => {
    const net = Network.create([{ kind: 'gaussian-noise', name: 'noise', rate: 0.3 }], [40], Rng.fromSeed(1));
    const y = net.apply(ones(), { training: true, rng: Rng.fromSeed(2) }).dataSync() as Float32Array;
    const std = Math.sqrt(y.reduce((s, v) => s + (v - 1) ** 2, 0) / y.length);
    expect(std).toBeGreaterThan(0.28);
    expect(std).toBeLessThan(0.32);
    expect(Array.from(net.apply(ones(), { training: false }).dataSync()).every((v) => v === 1)).toBe(true);
    net.dispose();
  });

  it('training mode without an rng is a typed error naming the layer', () => {
    const net = Network.create([{ kind: 'dropout', name: 'drop', rate: 0.5 }], [40], Rng.fromSeed(1));
    expect(() => net.apply(ones(), { training: true })).toThrow(ModelError);
    expect(() => net.apply(ones(), { training: true })).toThrow(/"drop"/);
    net.dispose();
  });
});
