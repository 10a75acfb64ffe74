import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { BackendError } from './backend-error.js';
import { importOptional } from '@forger/kernels/node';
import { prepareBackend } from './prepare-backend.js';

// Resolved from this package, as prepareBackend does.
const fromHere = (specifier: string): Promise<unknown> => import(specifier);
const tfjsNodeInstalled = (await importOptional('@tensorflow/tfjs-node', fromHere)) !== undefined
  || (await importOptional('@tensorflow/tfjs-node-gpu', fromHere)) !== undefined;

describe('prepareBackend', () => {
  test('wasm: active, a thread per core (at most 8) with SIMD, training kernels registered, gradients available', async () => {
    const info = await prepareBackend('wasm');
    const cores = Math.min(os.availableParallelism(), 8);
    expect(tf.getBackend()).toBe('wasm');
    expect(info.description).toBe(`backend: wasm (${cores} thread${cores === 1 ? '' : 's'}, SIMD)`);
    expect(info.threads).toBe(cores);
    expect(info.kernels).toContain('Conv2DBackpropFilter');
    expect(info.reasons).toEqual([]);
    const w = tf.variable(tf.ones([3, 3, 1, 2]));
    const x = tf.ones([1, 5, 5, 1]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Variable<tf.Rank.R4>, 1, 'same')) as tf.Scalar, [w]);
    // Centre tap of a 3×3 filter over a 5×5 image of ones, same padding: all 25 positions contribute.
    expect((await grads[w.name]!.data())[8]).toBe(25);
    tf.dispose([w, x, grads[w.name]!]);
  });

  test('cpu: active, described as slow', async () => {
    const info = await prepareBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.description).toMatch(/^backend: cpu/);
  });

  test.skipIf(tfjsNodeInstalled)('tensorflow without tfjs-node: BackendError saying how to add it', async () => {
    const failure = await prepareBackend('tensorflow').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).code).toBe('not-installed');
    expect((failure as BackendError).message).toContain('pnpm --filter @forger/trainer-node add @tensorflow/tfjs-node');
  });

  test('auto: the first backend that works, with the reasons for those skipped before it', async () => {
    const lines: string[] = [];
    const info = await prepareBackend('auto', { log: (l) => lines.push(l) });
    const order = ['tensorflow', 'webgpu', 'wasm'];
    expect(order).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(info.reasons.map((r) => r.split(':')[0])).toEqual(order.slice(0, order.indexOf(info.name)));
    if (!tfjsNodeInstalled) expect(info.reasons[0]).toMatch(/tfjs-node.* is installed/);
    expect(lines[0]).toBe('trying backend tensorflow …');
  });

  test('a kernel flag\'s environment variable with a value it does not take: BackendError naming both values', async () => {
    process.env['FORGER_WEBGPU_CONV'] = 'fast';
    try {
      const failure = await prepareBackend('cpu').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BackendError);
      expect((failure as BackendError).code).toBe('bad-flag');
      expect((failure as BackendError).message).toMatch(/FORGER_WEBGPU_CONV must be "forger" or "tfjs", got "fast"/);
    } finally {
      delete process.env['FORGER_WEBGPU_CONV'];
    }
  });
});
