import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network/network.js';
import { NetworkOptimizer } from './network-optimizer.js';
import { sumOf } from './sum-of.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

const layer = [{ kind: 'dense' as const, name: 'd', units: 3, useBias: true }];

describe('NetworkOptimizer', () => {
  it('plain SGD moves each weight by −lr·gradient', () => {
    const net = Network.create(layer, [2], Rng.fromSeed(1));
    const before = Array.from(net.variable('d/kernel').dataSync());
    const opt = new NetworkOptimizer(net, 'generator', { kind: 'sgd', learningRate: 0.1 });
    // loss = ½‖W‖² + ½‖b‖²: the gradient is the weight itself.
    tf.tidy(() => opt.minimize(() => tf.mul(0.5, tf.add(tf.sum(tf.square(net.variable('d/kernel'))), tf.sum(tf.square(net.variable('d/bias'))))) as tf.Scalar));
    const after = Array.from(net.variable('d/kernel').dataSync());
    after.forEach((w, i) => expect(w).toBeCloseTo(0.9 * before[i]!, 6));
    opt.dispose();
    net.dispose();
  });

  it('clipping by global norm bounds the applied update, and reports the norm before clipping', () => {
    const net = Network.create(layer, [2], Rng.fromSeed(2));
    const before = net.trainableVariables.map((v) => Array.from(v.dataSync()));
    const opt = new NetworkOptimizer(net, 'discriminator', { kind: 'sgd', learningRate: 1 });
    // loss = 100·Σw: every gradient component is 100, global norm 100·√9 = 300.
    const norm = tf.tidy(() => opt.minimize(() => tf.mul(100, tf.addN(net.trainableVariables.map((v) => tf.sum(v)))) as tf.Scalar, 20).gradientNorm!.dataSync()[0]!);
    expect(norm).toBeCloseTo(300, 3);
    const after = net.trainableVariables.map((v) => Array.from(v.dataSync()));
    const step = Math.sqrt(after.flat().reduce((s, w, i) => s + (w - before.flat()[i]!) ** 2, 0));
    expect(step).toBeCloseTo(20, 3);
    opt.dispose();
    net.dispose();
  });

  it('saves Adam slots as <layer>/<param>/m and /v with the iteration count, and restores them', async () => {
    const net = Network.create(layer, [2], Rng.fromSeed(3));
    const opt = new NetworkOptimizer(net, 'generator', { kind: 'adam', learningRate: 0.01, beta1: 0.5 });
    for (let i = 0; i < 3; i++) tf.tidy(() => opt.minimize(() => tf.sum(tf.square(net.variable('d/kernel'))) as tf.Scalar));
    const state = await opt.state();
    expect(state.kind).toBe('adam');
    expect(state.iterations).toBe(3);
    expect(state.hyper['beta1']).toBe(0.5);
    expect(state.hyper['beta1_power']).toBeCloseTo(0.5 ** 4, 6);
    expect(state.slots.map((s) => s.name)).toEqual(['d/kernel/m', 'd/bias/m', 'd/kernel/v', 'd/bias/v']);
    const other = new NetworkOptimizer(net, 'generator', { kind: 'momentum', learningRate: 0.01 });
    await expect(other.restore(state)).rejects.toThrow(/optimizer state is "adam" but this run uses "momentum"/);
    const fresh = new NetworkOptimizer(net, 'generator', { kind: 'adam', learningRate: 0.01, beta1: 0.5 });
    await fresh.restore(state);
    expect(fresh.iterations).toBe(3);
    const again = await fresh.state();
    expect(again.slots.map((s) => s.name)).toEqual(state.slots.map((s) => s.name));
    expect(again.slots.map((s) => Array.from(s.data))).toEqual(state.slots.map((s) => Array.from(s.data)));
    [opt, other, fresh].forEach((o) => o.dispose());
    net.dispose();
  });

  it('names a missing slot on restore', async () => {
    const net = Network.create(layer, [2], Rng.fromSeed(3));
    const opt = new NetworkOptimizer(net, 'generator', { kind: 'momentum', learningRate: 0.01 });
    tf.tidy(() => opt.minimize(() => tf.sum(net.variable('d/kernel')) as tf.Scalar));
    const state = await opt.state();
    expect(state.slots.map((s) => s.name)).toEqual(['d/kernel/momentum', 'd/bias/momentum']);
    const broken = { ...state, slots: state.slots.slice(0, 1) };
    await expect(opt.restore(broken)).rejects.toThrow(/lacks slot "d\/bias\/momentum"/);
    opt.dispose();
    net.dispose();
  });
});

describe('sumOf', () => {
  it('adds any number of tensors in tf.addN groups of at most 7 (WebGPU binds 8 storage buffers per stage)', async () => {
    for (const n of [1, 2, 7, 8, 15, 50]) {
      const tensors = Array.from({ length: n }, (_, i) => tf.scalar(i + 1));
      const profile = await tf.profile(() => sumOf(tensors));
      expect((profile.result as tf.Tensor).dataSync()[0]).toBe((n * (n + 1)) / 2);
      const addN = profile.kernels.filter((k) => k.name === 'AddN');
      expect(addN.every((k) => k.inputShapes.length <= 7)).toBe(true);
      tf.dispose([...tensors, profile.result as tf.Tensor]);
    }
  });
});
