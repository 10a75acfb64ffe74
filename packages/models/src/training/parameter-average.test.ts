import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkpointTensorToFloat32 } from '@forger/core';
import { ModelError } from '../errors.js';
import { Network } from '../network/network.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { ParameterAverage, withAveragedParameters } from './parameter-average.js';

beforeAll(useCpuBackend);

const spec = [
  { kind: 'dense' as const, name: 'd', units: 2, useBias: true },
  { kind: 'batch-norm' as const, name: 'bn' },
];

/** Sets every trainable parameter of `net` to the constant `value`. */
function setAll(net: Network, value: number): void {
  for (const v of net.trainableVariables) v.assign(tf.fill(v.shape, value));
}

const first = (net: Network, avg: ParameterAverage): number => avg.values[0]!.dataSync()[0]!;

describe('ParameterAverage', () => {
  it('is the plain mean while count < 1/rate, then an exponential moving average', () => {
    const net = Network.create(spec, [3], Rng.fromSeed(1));
    const avg = new ParameterAverage(net, 'test_average', 0.25);
    const seen: number[] = [];
    for (const value of [4, 8, 0, 12, 20, 4]) {
      setAll(net, value);
      avg.update();
      seen.push(first(net, avg));
    }
    // w = max(0.25, 1/count): 1, 1/2, 1/3, 1/4 (plain mean so far), then 0.25
    expect(seen.slice(0, 4)).toEqual([4, 6, 4, 6]);
    expect(seen[4]).toBeCloseTo(6 + 0.25 * (20 - 6), 5);
    expect(seen[5]).toBeCloseTo(9.5 + 0.25 * (4 - 9.5), 5);
    expect(avg.updates).toBe(6);
    avg.dispose();
    net.dispose();
  });

  it('without a rate is the mean of every update, and travels through checkpoint tensors', async () => {
    const net = Network.create(spec, [3], Rng.fromSeed(1));
    const avg = new ParameterAverage(net, 'test_average');
    for (const value of [1, 2, 3, 10]) {
      setAll(net, value);
      avg.update();
    }
    expect(first(net, avg)).toBe(4);
    const saved = await avg.toCheckpointTensors();
    // trainable parameters only: batch-norm's moving statistics are not averaged
    expect(saved.map((t) => t.name)).toEqual(['test_average/d/kernel', 'test_average/d/bias', 'test_average/bn/gamma', 'test_average/bn/beta', 'test_average/count']);
    const restored = new ParameterAverage(net, 'test_average');
    restored.restore(saved, 'the test');
    expect(restored.updates).toBe(4);
    setAll(net, 9);
    restored.update();
    expect(first(net, restored)).toBe(5);
    expect(() => restored.restore(saved.slice(1), 'the test')).toThrowError(/lacks "test_average\/d\/kernel" that the test needs/);
    expect(() => new ParameterAverage(net, 'x', 0)).toThrowError(ModelError);
    for (const a of [avg, restored]) a.dispose();
    net.dispose();
  });

  it('withAveragedParameters swaps in the averaged tensors, leaving the others as trained', async () => {
    const net = Network.create(spec, [3], Rng.fromSeed(1));
    const avg = new ParameterAverage(net, 'evaluation_average/discriminator');
    setAll(net, 7);
    avg.update();
    setAll(net, -1);
    const trained = net.toCheckpointTensors();
    const { tensors, averaged } = withAveragedParameters(trained, await avg.toCheckpointTensors(), 'evaluation_average/discriminator');
    expect(averaged).toBe(true);
    expect(tensors.map((t) => t.name)).toEqual(trained.map((t) => t.name));
    const byName = new Map(tensors.map((t) => [t.name, Array.from(checkpointTensorToFloat32(t))]));
    expect(byName.get('d/kernel')!.every((v) => v === 7)).toBe(true);
    expect(byName.get('bn/moving_variance')!.every((v) => v === 1)).toBe(true); // not averaged: as trained
    expect(withAveragedParameters(trained, [], 'evaluation_average/discriminator')).toEqual({ tensors: trained, averaged: false });
    avg.dispose();
    net.dispose();
  });
});
