import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { BackendError } from './backend-error.js';
import { describeAdapter } from './node-webgpu.js';
import { importOptional } from './optional-module.js';
import { prepareBackend } from './prepare-backend.js';

const tfjsNodeInstalled = (await importOptional('@tensorflow/tfjs-node')) !== undefined
  || (await importOptional('@tensorflow/tfjs-node-gpu')) !== undefined;

describe('prepareBackend', () => {
  test('wasm: active, one thread with SIMD, training kernels registered, gradients available', async () => {
    const info = await prepareBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.description).toBe('backend: wasm (1 thread, SIMD)');
    expect(info.threads).toBe(1);
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
});

describe('describeAdapter', () => {
  const adapter = (info: Partial<GPUAdapterInfo>, isFallbackAdapter = false) => ({ info, isFallbackAdapter }) as unknown as GPUAdapter;

  test('names a real GPU by its description and does not call it software', () => {
    const d = describeAdapter(adapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }));
    expect(d).toEqual({ name: 'NVIDIA H100 80GB HBM3', vendor: 'nvidia', architecture: 'hopper', software: false });
  });

  test('recognises SwiftShader, llvmpipe and fallback adapters as software', () => {
    expect(describeAdapter(adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })).software).toBe(true);
    expect(describeAdapter(adapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).software).toBe(true);
    expect(describeAdapter(adapter({ vendor: 'x', description: 'y' }, true)).software).toBe(true);
  });
});

describe('importOptional', () => {
  test('resolves to undefined for a package that is not installed', async () => {
    expect(await importOptional('@forger/no-such-package')).toBeUndefined();
  });

  test('returns a package that is installed', async () => {
    const mod = await importOptional<{ create: unknown }>('webgpu');
    expect(typeof mod?.create).toBe('function');
  });
});
