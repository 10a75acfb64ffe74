import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { Network } from '../network.js';
import { useCpuBackend } from '../../test-support/cpu-backend.js';

beforeAll(useCpuBackend);

describe('minibatch-discrimination layer', () => {
  it('appends o_b(x_i) = Σ_j exp(−‖M_i,b − M_j,b‖₁) to the features', () => {
    const net = Network.create([{ kind: 'minibatch-discrimination', name: 'mbd', units: 1, kernelSize: 2 }], [2], Rng.fromSeed(1));
    net.variable('mbd/kernel').assign(tf.tensor2d([[1, 0], [0, 1]])); // M = x
    const x = [
      [0, 0],
      [1, 2],
    ];
    const y = net.apply(tf.tensor2d(x), { training: false }).arraySync() as number[][];
    expect(y[0]!.slice(0, 2)).toEqual([0, 0]);
    // ‖(0,0) − (1,2)‖₁ = 3; each row sees itself (distance 0) and the other.
    expect(y[0]![2]).toBeCloseTo(1 + Math.exp(-3), 5);
    expect(y[1]![2]).toBeCloseTo(1 + Math.exp(-3), 5);
    net.dispose();
  });
});
