import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { disposeMetrics } from '@forger/models';
import { registerForgerKernels } from '../register.js';
import { startKernelBackend } from './kernel-backend.js';
import { probeWebGpu } from './kernel-check.js';
import { FusedAdamOptimizer } from '../optimizers/fused-adam-optimizer.js';
import { countDispatches, topKernelsByTime } from './dispatch-count.js';
import { GanIteration, type BenchFamily } from '../bench/gan-iteration.js';

beforeAll(() => tf.setBackend('cpu'));
afterAll(() => tf.setBackend('cpu'));

describe('countDispatches', () => {
  test('counts the kernels an iteration runs, by name, and disposes what it returns', async () => {
    const a = tf.ones([4]);
    const before = tf.memory().numTensors;
    const count = await countDispatches(() => tf.mul(tf.add(a, a), tf.add(a, 1)));
    expect(count.backend).toBe('cpu');
    expect(count.kernels).toBe(3);
    expect(count.byKernel[0]).toMatchObject({ name: 'Add', calls: 2 });
    expect(count.byKernel.map((k) => k.name)).toEqual(['Add', 'Multiply']);
    expect(count.gpuDispatches).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    expect(topKernelsByTime(count, 1)).toHaveLength(1);
    a.dispose();
  });
});

const webgpu = await probeWebGpu();

describe('countDispatches on webgpu', () => {
  test.skipIf(webgpu.reason !== undefined)(`counts GPU dispatches, Forger's own WGSL programs included (${webgpu.adapter ?? webgpu.reason})`, async () => {
    await tf.setBackend('webgpu');
    registerForgerKernels('webgpu');
    const w = tf.variable(tf.zeros([1000]), true, 'dispatch-count-test/w');
    const optimizer = new FusedAdamOptimizer(0.01);
    const grads = [{ name: w.name, tensor: tf.ones([1000]) }];
    optimizer.applyGradients(grads);
    const count = await countDispatches(() => optimizer.applyGradients(grads));
    // The step's β powers and the one variable's update, each one WGSL dispatch.
    expect(count.kernels).toBe(2);
    expect(count.gpuDispatches).toBe(2);
    const sum = await countDispatches(() => tf.add(w, 1));
    expect(sum.gpuDispatches).toBe(1);
    tf.dispose([w, grads[0]!.tensor]);
    optimizer.dispose();
    await tf.setBackend('cpu');
  });
});

/** Kernels per training iteration on wasm, batch 2 (the count does not depend on the batch). */
describe('kernels per training iteration on wasm (batch 2)', () => {
  beforeAll(() => startKernelBackend('wasm'));
  afterAll(() => tf.setBackend('cpu'));

  test.each(['vanilla', 'dcgan'] as BenchFamily[])('%s with Adam: the fused optimizers leave 13 kernels per variable and 3 per update out', async (family) => {
    const counts: number[] = [];
    let variables = 0;
    for (const optimizer of ['tfjs', 'fused'] as const) {
      const iteration = new GanIteration(family, 2, optimizer);
      disposeMetrics(iteration.step()); // slots are created on the first step
      counts.push((await countDispatches(() => Object.values(iteration.step()))).kernels);
      variables = iteration.trainableVariableCount;
      iteration.dispose();
    }
    const [tfjs, fused] = counts as [number, number];
    // tfjs-core's Adam: 14 kernels per variable + 4 per update; fused: 1 per variable + 1 per update; two updates.
    expect(tfjs - fused).toBe(13 * variables + 2 * 3);
  });
});

describe('measureDispatchOverhead', () => {
  test.skipIf(webgpu.reason !== undefined)(`times a chain that launches one GPU dispatch per link, and checks its result (${webgpu.adapter ?? webgpu.reason})`, async () => {
    await tf.setBackend('webgpu');
    const { measureDispatchOverhead } = await import('../bench/dispatch-overhead.js');
    let recorded = 0;
    const backend = tf.backend() as unknown as { recordAndSubmit: (...args: unknown[]) => unknown };
    const original = backend.recordAndSubmit;
    backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
      recorded++;
      return original.apply(this, args);
    };
    const before = tf.memory().numTensors;
    try {
      const overhead = await measureDispatchOverhead(40, 64);
      expect(overhead).toMatchObject({ dispatches: 40, elements: 64 });
      // warm-up 20 + round trip 1 + timed 40, plus the zeros each chain starts from when webgpu fills on the GPU
      expect(recorded).toBeGreaterThanOrEqual(61);
      expect(recorded).toBeLessThanOrEqual(64);
      expect(overhead.wallMsPerDispatch).toBeGreaterThanOrEqual(overhead.hostMsPerDispatch);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      backend.recordAndSubmit = original;
      await tf.setBackend('cpu');
    }
  });
});
