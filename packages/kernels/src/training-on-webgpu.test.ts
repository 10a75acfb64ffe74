import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@forger/core';
import { buildGan, createTrainer, dcganSpec, disposeMetrics, latentBatch } from '@forger/models';
import { describe, expect, test } from 'vitest';
import { registerGradients } from './node/register-gradients.js';
import { checkedBackends } from './test-support/kernel-check.js';
import { CONV_ROUTE_FLAG, FILTER_GRADIENT_FLAG } from './training/webgpu-conv-routes.js';
import { registerForgerKernels } from './register.js';
import { fusedOptimizerFactory } from './optimizers/fused-optimizers.js';

// Correctness before speed (issue 7): Forger's whole DCGAN step on webgpu — D on the stacked batch, the
// hand-written gradients, convolutions and products with bias and tanh (Forger's WGSL or tfjs's), the WGSL activation gradients, batch-norm kernels, filter gradient and
// fused SGD — moves every weight as the same step does on the cpu backend. keras-dcgan's layer list at toy
// widths (SwiftShader runs it in seconds). Plain SGD with a large rate: the weight change is proportional to
// the gradient, so a wrong gradient shows (Adam's normalised step would hide its size).
await registerGradients();
const spec = dcganSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, kernelSize: 3, generatorDense: 12, filters: [3, 4], discriminatorDense: 8 });
const steps = 3;

async function weightChanges(backend: string): Promise<Map<string, Float32Array>> {
  await tf.setBackend(backend);
  registerForgerKernels(backend as 'cpu' | 'webgpu');
  const nets = buildGan(spec, 3);
  const variables = [...nets.generator.variables, ...nets.discriminator.variables];
  const before = await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array));
  const trainer = createTrainer(spec, nets, {
    optimizer: 'sgd', learningRate: 0.05, rng: Rng.fromSeed(4), optimizerFactory: fusedOptimizerFactory,
  });
  const rng = Rng.fromSeed(5);
  for (let i = 0; i < steps; i++) {
    const pixels = new Float32Array(4 * 8 * 8);
    rng.fillUniform(pixels, -1, 1);
    const batch = { real: tf.tensor4d(pixels, [4, 8, 8, 1]), z: latentBatch(spec, 4, rng) };
    disposeMetrics(trainer.step(batch));
    tf.dispose([batch.real, batch.z]);
  }
  const changes = new Map<string, Float32Array>();
  for (const [i, v] of variables.entries()) {
    const after = (await v.data()) as Float32Array;
    changes.set(v.name.replace(/^[^/]*\//, ''), after.map((x, j) => x - before[i]![j]!));
  }
  trainer.dispose();
  nets.generator.dispose();
  nets.discriminator.dispose();
  return changes;
}

const reference = await weightChanges('cpu');

describe.each((await checkedBackends()).filter((b) => b.backend === 'webgpu'))('a DCGAN training step on $backend ($device)', ({ backend, skip }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  // Forger's WGSL convolutions and products with its filter gradient (the default), and tfjs's with the composite.
  test.skipIf(skip !== undefined).each([['forger', 'direct'], ['tfjs', 'composite']])(`moves every weight as on cpu, ${steps} SGD steps (%s convolutions, %s filter gradient)`, async (conv, route) => {
    tf.env().set(CONV_ROUTE_FLAG, conv);
    tf.env().set(FILTER_GRADIENT_FLAG, route);
    try {
      const got = await weightChanges(backend);
      expect([...got.keys()]).toEqual([...reference.keys()]);
      for (const [name, want] of reference) {
        const scale = want.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        const error = got.get(name)!.reduce((m, x, j) => Math.max(m, Math.abs(x - want[j]!)), 0);
        // Every trained variable moved (moving statistics move too), and by the cpu's amount.
        expect(scale, name).toBeGreaterThan(0);
        expect(error, `${name}: max |Δw| ${scale}`).toBeLessThanOrEqual(1e-3 * scale);
      }
    } finally {
      tf.env().set(CONV_ROUTE_FLAG, 'forger');
      tf.env().set(FILTER_GRADIENT_FLAG, 'direct');
      await tf.setBackend('cpu');
    }
  });
});
