import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network/network.js';
import { NetworkOptimizer } from './network-optimizer.js';
import { DEFAULT_MAX_UPDATES_PER_STEP, lossThresholdScheduleOf, updateWhileAbove } from './loss-threshold-schedule.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

/**
 * A one-weight network with loss w², on SGD at rate 1/4: each update halves w, so from w = 8 the losses are
 * 64, 16, 4, 1, … and the schedule's decisions can be worked out by hand.
 */
async function halving(threshold: number | undefined, limits: { times: number; maxUpdates: number }): Promise<{ updates: number; loss: number; w: number }> {
  const net = Network.create([{ kind: 'dense', name: 'd', units: 1 }], [1], Rng.fromSeed(1));
  const w = net.variable('d/kernel');
  tf.tidy(() => w.assign(tf.tensor2d([[8]])));
  const optimizer = new NetworkOptimizer(net, 'discriminator', { kind: 'sgd', learningRate: 0.25 });
  const { updates, metrics } = await updateWhileAbove(optimizer, threshold, limits, () => {
    const { loss, gradients } = optimizer.gradients(() => tf.sum(tf.square(w)) as tf.Scalar);
    return { loss, gradients, metrics: { dLoss: loss } };
  });
  const result = { updates, loss: (await metrics['dLoss']!.data())[0]!, w: w.dataSync()[0]! };
  tf.dispose(Object.values(metrics));
  optimizer.dispose();
  net.dispose();
  return result;
}

describe('the loss-threshold schedule', () => {
  it('updates while the loss is above the threshold: 64 > 5, 16 > 5, then 4 ≤ 5 stops', async () => {
    expect(await halving(5, { times: 1, maxUpdates: 10 })).toEqual({ updates: 2, loss: 4, w: 2 });
  });

  it('stops at the cap, and takes no update when the first loss is already at or below the threshold', async () => {
    expect(await halving(5, { times: 1, maxUpdates: 1 })).toEqual({ updates: 1, loss: 64, w: 4 });
    expect(await halving(64, { times: 1, maxUpdates: 10 })).toEqual({ updates: 0, loss: 64, w: 8 });
  });

  it('without a threshold takes exactly `times` updates', async () => {
    expect(await halving(undefined, { times: 3, maxUpdates: 1 })).toEqual({ updates: 3, loss: 4, w: 1 });
  });

  it('leaks no tensor whatever it decides', async () => {
    await halving(5, { times: 1, maxUpdates: 10 });
    const before = tf.memory().numTensors;
    await halving(5, { times: 1, maxUpdates: 10 });
    await halving(64, { times: 1, maxUpdates: 10 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is read from the options: off without a threshold, the cap defaulting to 5', () => {
    expect(lossThresholdScheduleOf({})).toBeUndefined();
    expect(lossThresholdScheduleOf({ dLossThreshold: 0.3 })).toEqual({ discriminator: 0.3, maxUpdates: DEFAULT_MAX_UPDATES_PER_STEP });
    expect(lossThresholdScheduleOf({ gLossThreshold: -2, maxUpdatesPerStep: 4 })).toEqual({ generator: -2, maxUpdates: 4 });
    expect(() => lossThresholdScheduleOf({ maxUpdatesPerStep: 4 })).toThrow(/set dLossThreshold or gLossThreshold/);
    expect(() => lossThresholdScheduleOf({ dLossThreshold: 1, maxUpdatesPerStep: 0 })).toThrow(/whole number ≥ 1/);
    expect(() => lossThresholdScheduleOf({ dLossThreshold: Number.NaN })).toThrow(/finite/);
  });
});
