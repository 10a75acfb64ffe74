import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { Rng } from '@forger/core';
import { fusedOptimizerFactory } from '@forger/kernels';
import { buildGan, createTrainer, dcganSpec, disposeMetrics, latentBatch, readMetrics } from '@forger/models';
import { nodeThreadedWasmFiles } from './node-wasm-threads.js';
import { prepareBackend } from './prepare-backend.js';

const STEPS = 4;
const BATCH = 16;

/**
 * The losses of STEPS full D+G iterations of keras-dcgan (the convolutional family `pnpm bench` times) at batch
 * BATCH on the wasm backend with `threads` threads, from the same seeds each time.
 */
async function dcganLosses(threads: number): Promise<{ threads: number; losses: Record<string, number>[] }> {
  const info = await prepareBackend('wasm', { wasmThreads: threads });
  const spec = dcganSpec();
  const nets = buildGan(spec, 3);
  const rng = Rng.fromSeed(5);
  const trainer = createTrainer(spec, nets, { rng, optimizerFactory: fusedOptimizerFactory });
  const real = tf.randomUniform([BATCH, 28, 28, 1], -1, 1, 'float32', 11);
  const losses: Record<string, number>[] = [];
  try {
    for (let i = 0; i < STEPS; i++) {
      const metrics = tf.tidy(() => trainer.step({ real, z: latentBatch(spec, BATCH, rng) }));
      losses.push(await readMetrics(metrics));
      disposeMetrics(metrics);
    }
  } finally {
    real.dispose();
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  }
  expect(info.threads).toBe(threads);
  return { threads: getThreadsCount(), losses };
}

describe('wasm on several threads (tfjs-backend-wasm\'s threaded-SIMD build, started from files)', () => {
  test('the worker script is written once, as a file Node can start', () => {
    const first = nodeThreadedWasmFiles();
    expect(existsSync(first.workerPath)).toBe(true);
    expect(first.workerPath).toMatch(/\.cjs$/);
    expect(nodeThreadedWasmFiles().workerPath).toBe(first.workerPath);
  });

  test('2 threads really run (tfjs getThreadsCount) and train keras-dcgan to the losses of 1 thread', async () => {
    const one = await dcganLosses(1);
    const two = await dcganLosses(2);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.losses).toHaveLength(STEPS);
    for (let i = 0; i < STEPS; i++) {
      const keys = Object.keys(one.losses[i]!).sort();
      expect(Object.keys(two.losses[i]!).sort()).toEqual(keys);
      for (const key of keys) {
        const a = one.losses[i]![key]!;
        const b = two.losses[i]![key]!;
        expect(Number.isFinite(a)).toBe(true);
        // float32 tolerance: XNNPACK splits rows between threads, each summed as on one thread
        expect(Math.abs(a - b), `step ${i} ${key}: 1 thread ${a}, 2 threads ${b}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a)));
      }
    }
    // the losses move, so the comparison covers updated weights, not only the first forward pass
    expect(one.losses[STEPS - 1]).not.toEqual(one.losses[0]);
  }, 240_000);

  test('a thread count beyond the build\'s worker pool: one thread, with a notice saying why', async () => {
    const info = await prepareBackend('wasm', { wasmThreads: 9 });
    expect(info.threads).toBe(1);
    expect(info.notice).toMatch(/^wasm: 9 threads could not start \(.*1 to 8.*\); running on 1 thread$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(await tf.sum(tf.ones([4])).data()).toEqual(new Float32Array([4]));
  });
});
