import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, float32ToCheckpointTensor } from '@forger/core';
import type { LayerSpec } from '@forger/core';
import { Network } from './network.js';
import { ModelError } from '../errors.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';

const MLP: LayerSpec[] = [
  { kind: 'dense', name: 'dense_1', units: 8, activation: 'relu', useBias: true },
  { kind: 'dense', name: 'dense_2', units: 3, activation: 'linear', useBias: true },
];

beforeAll(useCpuBackend);

describe('Network.create', () => {
  it('gives identical weights for the same seed and different ones for another', () => {
    const a = Network.create(MLP, [5], Rng.fromSeed(7));
    const b = Network.create(MLP, [5], Rng.fromSeed(7));
    const c = Network.create(MLP, [5], Rng.fromSeed(8));
    const ka = a.variable('dense_1/kernel').dataSync();
    expect(Array.from(b.variable('dense_1/kernel').dataSync())).toEqual(Array.from(ka));
    expect(Array.from(c.variable('dense_1/kernel').dataSync())).not.toEqual(Array.from(ka));
    [a, b, c].forEach((n) => n.dispose());
  });

  it('draws kernels Glorot-uniform within ±√(6/(fan_in+fan_out)) and starts biases at zero', () => {
    const net = Network.create([{ kind: 'dense', name: 'd', units: 200, useBias: true }], [300], Rng.fromSeed(1));
    const k = net.variable('d/kernel').dataSync() as Float32Array;
    const limit = Math.sqrt(6 / 500);
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    const std = Math.sqrt(k.reduce((s, x) => s + x * x, 0) / k.length);
    expect(std).toBeCloseTo(limit / Math.sqrt(3), 3); // the std of U(−l, l)
    expect(Array.from(net.variable('d/bias').dataSync()).every((x) => x === 0)).toBe(true);
    net.dispose();
  });

  it('computes a dense layer as x·W + b', () => {
    const net = Network.create([{ kind: 'dense', name: 'd', units: 2, useBias: true }], [3], Rng.fromSeed(3));
    net.variable('d/bias').assign(tf.tensor1d([0.5, -1]));
    const w = net.variable('d/kernel').arraySync() as number[][];
    const x = [1, 2, 3];
    const y = net.apply(tf.tensor2d([x]), { training: false }).arraySync() as number[][];
    const expected = [0, 1].map((j) => x.reduce((s, xi, i) => s + xi * w[i]![j]!, 0) + [0.5, -1][j]!);
    expect(y[0]![0]).toBeCloseTo(expected[0]!, 5);
    expect(y[0]![1]).toBeCloseTo(expected[1]!, 5);
    net.dispose();
  });

  it('rejects a spec whose shapes do not chain, naming the layer', () => {
    expect(() => Network.create([{ kind: 'reshape', name: 'r', targetShape: [3, 3] }], [10], Rng.fromSeed(1))).toThrow(/layer "r" \(reshape\)/);
    expect(() => Network.create([{ kind: 'conv2d', name: 'c', units: 4, kernelSize: 3 }], [10], Rng.fromSeed(1))).toThrow(ModelError);
  });

  it('two live networks with the same prefix do not clash', () => {
    const a = Network.create(MLP, [5], Rng.fromSeed(1), 'g');
    const b = Network.create(MLP, [5], Rng.fromSeed(1), 'g');
    expect(a.variables[0]!.name).not.toBe(b.variables[0]!.name);
    expect(b.parameterName(b.variables[0]!)).toBe('dense_1/kernel');
    a.dispose();
    b.dispose();
  });
});

describe('Network.fromCheckpoint', () => {
  it('rebuilds the same function from its checkpoint tensors', () => {
    const net = Network.create(MLP, [5], Rng.fromSeed(11));
    const tensors = net.toCheckpointTensors();
    expect(tensors.map((t) => t.name)).toEqual(['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    const copy = Network.fromCheckpoint(MLP, [5], tensors);
    const x = tf.tensor2d([[1, -2, 3, 0.5, 0]]);
    expect(Array.from(copy.apply(x, { training: false }).dataSync())).toEqual(Array.from(net.apply(x, { training: false }).dataSync()));
    net.dispose();
    copy.dispose();
  });

  it('names a missing tensor and its expected shape', () => {
    const net = Network.create(MLP, [5], Rng.fromSeed(11));
    const tensors = net.toCheckpointTensors().filter((t) => t.name !== 'dense_2/kernel');
    net.dispose();
    expect(() => Network.fromCheckpoint(MLP, [5], tensors)).toThrow(/"dense_2\/kernel" \(expected shape \[8, 3\]\)/);
    try {
      Network.fromCheckpoint(MLP, [5], tensors);
    } catch (e) {
      expect((e as ModelError).code).toBe('missing-tensor');
      expect((e as ModelError).where).toBe('dense_2/kernel');
    }
  });

  it('names a tensor of the wrong shape with expected and found shapes', () => {
    const tensors = [
      float32ToCheckpointTensor('dense_1/kernel', [5, 4], new Float32Array(20)),
      float32ToCheckpointTensor('dense_1/bias', [8], new Float32Array(8)),
      float32ToCheckpointTensor('dense_2/kernel', [8, 3], new Float32Array(24)),
      float32ToCheckpointTensor('dense_2/bias', [3], new Float32Array(3)),
    ];
    expect(() => Network.fromCheckpoint(MLP, [5], tensors)).toThrow('tensor "dense_1/kernel": expected shape [5, 8], found [5, 4]');
  });

  it('rejects a tensor that no layer owns', () => {
    const net = Network.create(MLP, [5], Rng.fromSeed(11));
    const tensors = [...net.toCheckpointTensors(), float32ToCheckpointTensor('dense_3/kernel', [3, 1], new Float32Array(3))];
    net.dispose();
    expect(() => Network.fromCheckpoint(MLP, [5], tensors)).toThrow(/"dense_3\/kernel"/);
  });

  it('accepts float16 and int8 tensors, dequantised close to the float32 weights', () => {
    const net = Network.create(MLP, [5], Rng.fromSeed(5));
    const x = tf.tensor2d([[0.3, -0.2, 0.1, 0.9, -0.7]]);
    const reference = net.apply(x, { training: false }).dataSync();
    for (const dtype of ['float16', 'int8'] as const) {
      const q = Network.fromCheckpoint(MLP, [5], net.toCheckpointTensors(dtype));
      const y = q.apply(x, { training: false }).dataSync();
      y.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThan(dtype === 'int8' ? 0.05 : 2e-3));
      q.dispose();
    }
    net.dispose();
  });
});
