import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer } from '../optimizers/fused-adam-optimizer.js';
import { FusedMomentumOptimizer } from '../optimizers/fused-momentum-optimizer.js';

/**
 * The fused optimizers against tfjs-core's on the cpu backend: seeded variables of a small network's shapes,
 * `steps` updates with seeded gradients, then the largest error of the weights and slots, relative to each
 * tensor's largest |value|. Used by the tests and by `pnpm bench:gpu` (on the GPU it checks the WGSL
 * programs where they will be timed). Needs the cpu backend registered.
 */
export async function checkFusedOptimizers(backend: string, steps = 8): Promise<Record<'adam' | 'nesterov' | 'momentum', number>> {
  const result = { adam: 0, nesterov: 0, momentum: 0 };
  for (const [name, pair] of Object.entries(optimizerPairs)) {
    const reference = await trainSeeded('cpu', pair.tfjs, steps);
    const fused = await trainSeeded(backend, pair.fused, steps);
    result[name as keyof typeof result] = maxRelativeError(fused, reference);
  }
  return result;
}

export type MakeOptimizer = () => tf.Optimizer;

/** Adam as DCGAN's (β1 0.5), Nesterov momentum as keras-dcgan's, and plain momentum; tfjs-core's and fused. */
export const optimizerPairs: Record<'adam' | 'nesterov' | 'momentum', { tfjs: MakeOptimizer; fused: MakeOptimizer }> = {
  adam: { tfjs: () => tf.train.adam(0.01, 0.5, 0.999), fused: () => new FusedAdamOptimizer(0.01, 0.5, 0.999) },
  nesterov: { tfjs: () => tf.train.momentum(0.05, 0.9, true), fused: () => new FusedMomentumOptimizer(0.05, 0.9, true) },
  momentum: { tfjs: () => tf.train.momentum(0.05, 0.9, false), fused: () => new FusedMomentumOptimizer(0.05, 0.9, false) },
};

/** A conv kernel, a dense kernel, biases, a single weight, and a weight of 561 values: past the size where the host
 * Adam runs in WebAssembly SIMD (adam-update.wat), with a tail of one value after the four-lane loop. */
export const checkShapes = [[3, 3, 2, 4], [5, 7], [13], [1], [33, 17]];

export interface TrainedState {
  weights: Float32Array[];
  slots: Array<{ name: string; values: Float32Array }>;
  iterations: number;
  /** Adam's β1^t, β2^t. */
  powers?: number[];
}

let serial = 0;

/** `steps` updates of seeded variables with seeded gradients on `backend`; every value after them. */
export async function trainSeeded(backend: string, make: MakeOptimizer, steps: number): Promise<TrainedState> {
  await tf.setBackend(backend);
  const prefix = `fused-check-${serial++}`;
  const variables = checkShapes.map((s, i) => tf.variable(tf.tensor(seededValues(s, 10 + i), s), true, `${prefix}/w${i}`));
  const optimizer = make();
  for (let step = 0; step < steps; step++) {
    const grads = checkShapes.map((s, i) => ({ name: variables[i]!.name, tensor: tf.tensor(seededValues(s, 1000 * step + i), s) }));
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array));
  const saved = await optimizer.getWeights();
  const slots = await Promise.all(saved.slice(1).map(async (s) => ({ name: s.name.replace(`${prefix}/`, ''), values: (await s.tensor.data()) as Float32Array })));
  saved[0]!.tensor.dispose();
  const p = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  const powers = p.accBeta1 && p.accBeta2 ? [(await p.accBeta1.data())[0]!, (await p.accBeta2.data())[0]!] : undefined;
  const state = { weights, slots, iterations: optimizer.iterations, ...(powers ? { powers } : {}) };
  optimizer.dispose();
  tf.dispose(variables);
  return state;
}

/** Largest |a − b| over each tensor relative to its largest |b|, over weights, slots and powers. */
export function maxRelativeError(actual: TrainedState, reference: TrainedState): number {
  if (actual.iterations !== reference.iterations || actual.slots.map((s) => s.name).join() !== reference.slots.map((s) => s.name).join()) return Infinity;
  const pairs: Array<[Float32Array, Float32Array]> = [
    ...actual.weights.map((w, i) => [w, reference.weights[i]!] as [Float32Array, Float32Array]),
    ...actual.slots.map((s, i) => [s.values, reference.slots[i]!.values] as [Float32Array, Float32Array]),
    ...(reference.powers ? [[Float32Array.from(actual.powers ?? []), Float32Array.from(reference.powers)] as [Float32Array, Float32Array]] : []),
  ];
  let worst = 0;
  for (const [a, b] of pairs) {
    let err = 0;
    let scale = 0;
    for (let i = 0; i < b.length; i++) {
      err = Math.max(err, Math.abs(a[i]! - b[i]!));
      scale = Math.max(scale, Math.abs(b[i]!));
    }
    worst = Math.max(worst, scale === 0 ? err : err / scale);
  }
  return worst;
}

/** Seeded uniform(−1, 1) values (mulberry32), independent of tfjs's random state. */
export function seededValues(shape: number[], seed: number): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed >>> 0;
  for (let i = 0; i < values.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  }
  return values;
}
