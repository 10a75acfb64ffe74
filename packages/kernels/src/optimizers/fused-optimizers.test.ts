import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@forger/core';
import { Network, NetworkOptimizer } from '@forger/models';
import { startKernelBackend } from '../test-support/kernel-backend.js';
import { probeWebGpu, uniformValues } from '../test-support/kernel-check.js';
import { countDispatches } from '../test-support/dispatch-count.js';
import { FusedAdamOptimizer } from './fused-adam-optimizer.js';
import { FusedMomentumOptimizer } from './fused-momentum-optimizer.js';
import { fusedAdamUpdateName } from './FusedAdamUpdate.js';
import { KernelError } from '../backend/kernel-error.js';
import { hasFusedKernels } from './has-fused-kernels.js';
import { registerForgerKernels } from '../register.js';

/** The kernel names one fused Adam step runs on the active backend. */
async function countFirstKernels(): Promise<string[]> {
  const w = tf.variable(tf.zeros([3]), true, `opt-test-${serial++}/k`);
  const optimizer = new FusedAdamOptimizer(0.1);
  const grads = [{ name: w.name, tensor: tf.ones([3]) }];
  const names = (await countDispatches(() => optimizer.applyGradients(grads))).byKernel.map((k) => k.name);
  tf.dispose([w, grads[0]!.tensor]);
  optimizer.dispose();
  return names;
}
import { fusedOptimizerFactory } from './fused-optimizers.js';
import { checkFusedOptimizers, checkShapes, maxRelativeError, optimizerPairs, trainSeeded, type MakeOptimizer, type TrainedState } from '../test-support/fused-optimizer-check.js';

const steps = 8;
const shapes = checkShapes;
type Make = MakeOptimizer;
type Run = TrainedState;
const adam = optimizerPairs.adam;
const nesterov = optimizerPairs.nesterov;
const heavyBall = optimizerPairs.momentum;
const train = (backend: string, make: Make): Promise<Run> => trainSeeded(backend, make, steps);

let serial = 0;

function expectClose(actual: Run, reference: Run, bound: number): void {
  expect(actual.iterations).toBe(reference.iterations);
  expect(actual.slots.map((s) => s.name)).toEqual(reference.slots.map((s) => s.name));
  expect(actual.powers === undefined).toBe(reference.powers === undefined);
  expect(maxRelativeError(actual, reference)).toBeLessThanOrEqual(bound);
}

const webgpu = await probeWebGpu();
const backends = [
  { backend: 'cpu', skip: undefined, bound: 0 },
  { backend: 'wasm', skip: undefined, bound: 0 },
  // Float32 on a GPU: division and √ are within 2.5 ulp in WGSL, and a·b + c may be fused.
  { backend: 'webgpu', skip: webgpu.reason, bound: 1e-6 },
];

beforeAll(async () => {
  await startKernelBackend('wasm');
  // One rule for every backend (no registration from an optimizer's constructor): each gets its row of the table.
  registerForgerKernels('cpu');
  registerForgerKernels('webgpu');
  await tf.setBackend('cpu');
});
afterAll(() => tf.setBackend('cpu'));

const references = new Map<Make, Promise<Run>>();
const reference = (make: Make): Promise<Run> => {
  if (!references.has(make)) references.set(make, train('cpu', make));
  return references.get(make)!;
};

describe.each(backends)('fused optimizers on $backend', ({ backend, skip, bound }) => {
  if (skip !== undefined) test.skipIf(true)(`skipped on ${backend}: ${skip}`, () => {});
  const label = bound === 0 ? 'bit for bit' : `within ${bound} relative`;
  test.skipIf(skip !== undefined)(`Adam (lr 0.01, β1 0.5) matches tf.train.adam on cpu ${label} after ${steps} steps`, async () => {
    expectClose(await train(backend, adam.fused), await reference(adam.tfjs), bound);
  });
  test.skipIf(skip !== undefined)(`Nesterov momentum (keras-dcgan's) matches tf.train.momentum on cpu ${label}`, async () => {
    expectClose(await train(backend, nesterov.fused), await reference(nesterov.tfjs), bound);
  });
  test.skipIf(skip !== undefined)('checkFusedOptimizers (what bench:gpu reports) agrees', async () => {
    const errors = await checkFusedOptimizers(backend);
    for (const e of Object.values(errors)) expect(e).toBeLessThanOrEqual(bound);
  });
  test.skipIf(skip !== undefined)(`plain momentum matches tf.train.momentum(useNesterov = false) on cpu ${label}`, async () => {
    expectClose(await train(backend, heavyBall.fused), await reference(heavyBall.tfjs), bound);
  });
});

describe('fused optimizers, state and fallbacks (cpu)', () => {
  beforeAll(() => tf.setBackend('cpu'));

  test('Adam state moves between tfjs-core and the fused optimizer: both continue to the same weights', async () => {
    for (const [first, second] of [[adam.tfjs, adam.fused], [adam.fused, adam.tfjs]] as const) {
      const w = tf.variable(tf.tensor(uniformValues([4, 3], 5).values, [4, 3]), true, `opt-test-${serial++}/w`);
      const grad = (step: number) => [{ name: w.name, tensor: tf.tensor(uniformValues([4, 3], 77 + step).values, [4, 3]) }];
      const a = first();
      for (let s = 0; s < 3; s++) tf.tidy(() => a.applyGradients(grad(s)));
      const saved = await a.getWeights();
      const b = second();
      await b.setWeights(saved.map((t) => ({ name: t.name, tensor: tf.clone(t.tensor) })));
      expect(b.iterations).toBe(3);
      expect((await b.getWeights()).map((t) => t.name)).toEqual(saved.map((t) => t.name));
      for (let s = 3; s < 6; s++) tf.tidy(() => b.applyGradients(grad(s)));
      const resumed = Array.from(w.dataSync());
      // The same six steps with one optimizer throughout.
      w.assign(tf.tensor(uniformValues([4, 3], 5).values, [4, 3]));
      const straight = first();
      for (let s = 0; s < 6; s++) tf.tidy(() => straight.applyGradients(grad(s)));
      expect(resumed).toEqual(Array.from(w.dataSync()));
      [a, b, straight].forEach((o) => o.dispose());
      w.dispose();
    }
  });

  test('without its kernel on the backend, fused Adam composes tf ops and still matches tfjs-core bit for bit', async () => {
    registerForgerKernels('cpu');
    const own = getKernel(fusedAdamUpdateName, 'cpu')!;
    unregisterKernel(fusedAdamUpdateName, 'cpu');
    try {
      expect(hasFusedKernels('cpu')).toBe(false);
      const counted = await countFirstKernels();
      expect(counted).toContain('Sqrt');
      expectClose(await train('cpu', adam.fused), await reference(adam.tfjs), 0);
    } finally {
      registerKernel(own);
    }
  });

  test('one kernel per variable: Adam runs variables + 1 kernels per step, momentum one per variable', async () => {
    const vars = shapes.map((s, i) => tf.variable(tf.zeros(s), true, `opt-test-${serial++}/c${i}`));
    const counts: Record<string, number> = {};
    for (const [label, make] of Object.entries({ tfjsAdam: adam.tfjs, fusedAdam: adam.fused, tfjsNesterov: nesterov.tfjs, fusedNesterov: nesterov.fused })) {
      const optimizer = make();
      const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
      optimizer.applyGradients(grads); // the first step also creates the zero slots
      counts[label] = (await countDispatches(() => optimizer.applyGradients(grads))).kernels;
      tf.dispose(grads.map((g) => g.tensor));
      optimizer.dispose();
    }
    expect(counts['fusedAdam']).toBe(shapes.length + 1);
    expect(counts['fusedNesterov']).toBe(shapes.length);
    // tfjs-core: 14 kernels per variable and 4 per step (Adam), 6 per variable (Nesterov momentum).
    expect(counts['tfjsAdam']).toBe(14 * shapes.length + 4);
    expect(counts['tfjsNesterov']).toBe(6 * shapes.length);
    tf.dispose(vars);
  });

  test('a gradient shaped unlike its variable is an KernelError naming both shapes', () => {
    const w = tf.variable(tf.zeros([2, 3]), true, `opt-test-${serial++}/bad`);
    const optimizer = new FusedMomentumOptimizer(0.1, 0.9, true);
    optimizer.applyGradients([{ name: w.name, tensor: tf.ones([2, 3]) }]);
    const bad = () => optimizer.applyGradients([{ name: w.name, tensor: tf.ones([3, 2]) }]);
    expect(bad).toThrow(KernelError);
    expect(bad).toThrow(/"gradient" is \[3, 2\] but the variable is \[2, 3\]/);
    optimizer.dispose();
    w.dispose();
  });

  test("a @forger/models checkpoint's optimizer state written with the fused Adam resumes with tfjs-core's, bit for bit", async () => {
    const layers = [{ kind: 'dense' as const, name: 'd', units: 5, activation: 'tanh' as const, useBias: true }];
    const x = tf.tensor(uniformValues([6, 4], 3).values, [6, 4]);
    const loss = (net: Network) => () => tf.tidy(() => tf.sum(tf.square(net.apply(x, { training: true }))) as tf.Scalar);
    const config = { kind: 'adam' as const, learningRate: 0.05, beta1: 0.5 };
    const run = async (resumeWith: 'fused' | 'tfjs' | 'none'): Promise<number[]> => {
      const net = Network.create(layers, [4], Rng.fromSeed(8), `resume-${serial++}`);
      const first = new NetworkOptimizer(net, 'generator', config, fusedOptimizerFactory);
      for (let s = 0; s < 4; s++) tf.tidy(() => { first.minimize(loss(net)); });
      if (resumeWith !== 'none') {
        const state = await first.state();
        const second = new NetworkOptimizer(net, 'generator', config, resumeWith === 'fused' ? fusedOptimizerFactory : undefined);
        await second.restore(state);
        for (let s = 0; s < 4; s++) tf.tidy(() => { second.minimize(loss(net)); });
        second.dispose();
      } else {
        for (let s = 0; s < 4; s++) tf.tidy(() => { first.minimize(loss(net)); });
      }
      first.dispose();
      const weights = net.trainableVariables.flatMap((v) => Array.from(v.dataSync()));
      net.dispose();
      return weights;
    };
    const straight = await run('none');
    expect(await run('tfjs')).toEqual(straight);
    expect(await run('fused')).toEqual(straight);
    x.dispose();
  });

  test("a schedule's rate (NetworkOptimizer.setLearningRateScale) reaches the fused updates, and survives a restore", async () => {
    const layers = [{ kind: 'dense' as const, name: 'd', units: 5, activation: 'tanh' as const, useBias: true }];
    const x = tf.tensor(uniformValues([6, 4], 3).values, [6, 4]);
    const loss = (net: Network) => () => tf.tidy(() => tf.sum(tf.square(net.apply(x, { training: true }))) as tf.Scalar);
    // four steps at a quarter of 0.1 after a restore, against four at 0.025 throughout: a scale by a power of two is exact
    const run = async (kind: 'adam' | 'momentum', scaled: boolean): Promise<number[]> => {
      const config = { kind, learningRate: scaled ? 0.1 : 0.025, beta1: 0.5 };
      const net = Network.create(layers, [4], Rng.fromSeed(8), `rate-${serial++}`);
      const first = new NetworkOptimizer(net, 'generator', config, fusedOptimizerFactory);
      if (scaled) first.setLearningRateScale(0.25);
      for (let s = 0; s < 2; s++) tf.tidy(() => { first.minimize(loss(net)); });
      const second = new NetworkOptimizer(net, 'generator', config, fusedOptimizerFactory);
      if (scaled) second.setLearningRateScale(0.25);
      await second.restore(await first.state());
      for (let s = 0; s < 2; s++) tf.tidy(() => { second.minimize(loss(net)); });
      expect(second.learningRate).toBe(0.025);
      [first, second].forEach((o) => o.dispose());
      const weights = net.trainableVariables.flatMap((v) => Array.from(v.dataSync()));
      net.dispose();
      return weights;
    };
    for (const kind of ['adam', 'momentum'] as const) expect(await run(kind, true)).toEqual(await run(kind, false));
    x.dispose();
  });

  test('fusedOptimizerFactory builds the fused Adam and Nesterov momentum, and tfjs-core SGD', () => {
    // tf.Optimizer's instanceof is duck-typed (Symbol.hasInstance): compare constructors.
    const adam = fusedOptimizerFactory({ kind: 'adam', learningRate: 0.1, beta1: 0.5 });
    const momentum = fusedOptimizerFactory({ kind: 'momentum', learningRate: 0.1 });
    const sgd = fusedOptimizerFactory({ kind: 'sgd', learningRate: 0.1 });
    expect(adam.constructor).toBe(FusedAdamOptimizer);
    expect((adam as FusedAdamOptimizer).beta1).toBe(0.5);
    expect(momentum.constructor).toBe(FusedMomentumOptimizer);
    expect((momentum as FusedMomentumOptimizer).useNesterov).toBe(true);
    expect(sgd.constructor).toBe(tf.train.sgd(0.1).constructor);
    for (const o of [adam, momentum, sgd]) o.dispose();
  });
});
