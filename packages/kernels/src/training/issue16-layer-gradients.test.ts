import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Rng, type LayerSpec } from '@forger/core';
import { Network } from '@forger/models';
import { handCaseError, layerHandCases, runHandCase } from '@forger/models/test-support';
import { afterAll, describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { probeWebGpu, uniformValues } from '../test-support/kernel-check.js';
import { registerForgerKernels } from '../register.js';

// Issue 16's layer kinds on wasm and webgpu (SwiftShader) as trainer-node runs them (tfjs's gradients and Forger's
// kernels registered): forward, against the hand computations @forger/models checks cpu against
// (test-support/layer-hand-cases.ts); differentiated, against the cpu backend, whose gradients @forger/models checks
// against central differences (src/network/layers/issue16-layers.test.ts). Chains of ops carry float32 error: the bound is that of
// the end-to-end DCGAN gradients, max |error| ≤ 1e-4 × max |cpu gradient|.
const bound = 1e-4;
await registerGradients();
const webgpu = await probeWebGpu();
afterAll(() => tf.setBackend('cpu'));

const layers: [string, LayerSpec[], number[]][] = [
  ['average-pool', [{ kind: 'average-pool', name: 'pool', kernelSize: 2 }], [8, 6, 3]],
  ['instance-norm', [{ kind: 'instance-norm', name: 'norm' }], [5, 4, 3]],
  ['pixel-shuffle', [{ kind: 'pixel-shuffle', name: 'shuffle', kernelSize: 2 }], [3, 4, 8]],
  ['bilinear-upsample', [{ kind: 'bilinear-upsample', name: 'up', kernelSize: 2 }], [4, 3, 2]],
  ['persistent-dropout', [{ kind: 'persistent-dropout', name: 'drop', rate: 0.4 }], [4, 4, 2]],
  // a generator stage as the switches write one: conv to 4× the channels, PixelShuffle, instance norm
  ['conv + pixel-shuffle + instance-norm', [
    { kind: 'conv2d', name: 'conv', units: 8, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias: true },
    { kind: 'pixel-shuffle', name: 'shuffle', kernelSize: 2 },
    { kind: 'instance-norm', name: 'norm' },
    { kind: 'activation', name: 'relu', activation: 'relu' },
  ], [4, 4, 3]],
];

/** ∂/∂x and ∂/∂θ of Σ w·net(x) in training mode (same dropout seed everywhere): x's gradient first, then each weight's. */
async function gradients(backend: string, spec: LayerSpec[], inputShape: number[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  if (backend !== 'cpu') registerForgerKernels(backend as 'wasm' | 'webgpu');
  const net = Network.create(spec, inputShape, Rng.fromSeed(4));
  const x = tf.variable(tf.tensor(uniformValues([2, ...inputShape], 31).values, [2, ...inputShape]));
  const w = tf.tensor(uniformValues([2, ...net.outputShape], 32).values, [2, ...net.outputShape]);
  const { grads, value } = tf.variableGrads(
    () => tf.sum(tf.mul(net.apply(x, { training: true, rng: Rng.fromSeed(9) }), w)) as tf.Scalar,
    [x, ...net.trainableVariables],
  );
  const values = await Promise.all([x, ...net.trainableVariables].map(async (v) => (await grads[v.name]!.data()) as Float32Array));
  tf.dispose([value, x, w, ...Object.values(grads)]);
  net.dispose();
  return values;
}

describe.each([{ backend: 'wasm', skip: undefined as string | undefined }, { backend: 'webgpu', skip: webgpu.reason }])('on $backend', ({ backend, skip }) => {
  test.skipIf(skip !== undefined).each(layers)(`%s: the gradients match cpu's${skip ? ` (skipped: ${skip})` : ''}`, async (_label, spec, inputShape) => {
    const want = await gradients('cpu', spec, inputShape);
    const got = await gradients(backend, spec, inputShape);
    expect(got.length).toBe(want.length);
    const largest = Math.max(...want.map((g) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    got.forEach((g, i) => {
      const error = g.reduce((m, v, j) => Math.max(m, Math.abs(v - want[i]![j]!)), 0);
      expect(error, `gradient ${i} (0 = input)`).toBeLessThanOrEqual(bound * Math.max(largest, 1e-6));
    });
  });

  test.skipIf(skip !== undefined).each(layerHandCases.map((c) => [c.label, c] as const))(
    `%s: the output matches the hand computation${skip ? ` (skipped: ${skip})` : ''}`,
    async (_label, c) => {
      await tf.setBackend(backend);
      registerForgerKernels(backend as 'wasm' | 'webgpu');
      const { shape, values } = await runHandCase(c);
      expect(shape).toEqual(c.expected.shape);
      const { maxAbsError, bound: handBound } = handCaseError(c, values);
      expect(maxAbsError).toBeLessThanOrEqual(handBound);
    },
  );
});
