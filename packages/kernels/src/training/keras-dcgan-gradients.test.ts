import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { registerGradients } from '../node/register-gradients.js';
import { kerasDcganReference } from '../test-support/keras-dcgan-reference.js';
import { registerForgerKernels } from '../register.js';

// End to end: every training kernel in place, the gradients of keras-dcgan's D and G losses (batch 2)
// match the cpu backend's. Chains of ops accumulate float32 error, so the bound is looser than a kernel's:
// max |error| ≤ 1e-4 × max |cpu gradient| for each variable.
const endToEndBound = 1e-4;
await registerGradients();

async function dcganGradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const net = kerasDcganReference(21);
  const z = tf.randomUniform([2, 100], -1, 1, 'float32', 3) as tf.Tensor2D;
  const real = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 4) as tf.Tensor4D;
  const labels = tf.tensor2d([[1], [1], [0], [0]]);
  const discriminator = tf.variableGrads(() => tf.tidy(() => tf.losses.sigmoidCrossEntropy(labels,
    net.discriminatorLogits(tf.concat([real, net.generator(z)]) as tf.Tensor4D)) as tf.Scalar), net.discriminatorVariables);
  const generator = tf.variableGrads(() => tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.ones([2, 1]),
    net.discriminatorLogits(net.generator(z))) as tf.Scalar), net.generatorVariables);
  const grads = [...net.discriminatorVariables.map((v) => discriminator.grads[v.name]!), ...net.generatorVariables.map((v) => generator.grads[v.name]!)];
  const values = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose([...grads, discriminator.value, generator.value, z, real, labels]);
  net.dispose();
  return values;
}

// Computed before anything else switches backends (tf.setBackend is global state). The cpu backend gets
// Forger's corrected ResizeNearestNeighborGrad (its own is wrong, see ResizeNearestNeighborGrad.ts).
registerForgerKernels('cpu');
const reference = await dcganGradients('cpu');

// wasm only: on SwiftShader one such step takes over a minute; webgpu's kernels are checked one by one.
describe.each([{ backend: 'wasm' as const }])('keras-dcgan gradients on $backend', ({ backend }) => {
  test(`match cpu within ${endToEndBound} × max|grad| for all 18 variables`, async () => {
    const expected = reference;
    await tf.setBackend(backend);
    registerForgerKernels(backend);
    const actual = await dcganGradients(backend);
    expect(actual.length).toBe(18);
    const largest = Math.max(...expected.map((values) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    actual.forEach((values, i) => {
      let error = 0;
      let scale = 0;
      for (let j = 0; j < values.length; j++) {
        error = Math.max(error, Math.abs(values[j]! - expected[i]![j]!));
        scale = Math.max(scale, Math.abs(expected[i]![j]!));
      }
      expect(error, `variable ${i}: scale ${scale}`).toBeLessThanOrEqual(endToEndBound * Math.max(scale, 1e-4 * largest));
    });
  });
});
