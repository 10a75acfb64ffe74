import * as tf from '@tensorflow/tfjs-core';
import { Rng, type CheckpointTensor, type LayerSpec } from '@forger/core';
import { Network } from '../network/network.js';

/**
 * Issue 16's layers (average pool, instance norm, PixelShuffle, bilinear upsampling) on inputs small enough to
 * compute by hand. The same cases run on cpu here (src/network/layers/issue16-layers.test.ts) and on wasm and webgpu
 * in @forger/kernels (src/training/issue16-layer-gradients.test.ts), so every backend meets one arithmetic, not
 * merely each other.
 */
export interface LayerHandCase {
  label: string;
  layers: LayerSpec[];
  /** One example's shape: [height, width, channels]. */
  inputShape: number[];
  /** The batch, NHWC. */
  x: { shape: number[]; values: number[] };
  /** Parameters other than the initial ones, by checkpoint name: instance norm's γ = 1, β = 0 would hide their use. */
  parameters?: Record<string, number[]>;
  expected: { shape: number[]; values: number[] };
}

/** Every step of these layers is a handful of float32 operations on values of order 10: 1e-5 of the largest is ample. */
export const handCaseRelativeBound = 1e-5;

const epsilon = 1e-5;
/** (v − mean) / √(variance + ε) · γ + β, the instance-norm formula applied by hand to one channel of one example. */
const normalised = (values: number[], mean: number, variance: number, gamma: number, beta: number): number[] =>
  values.map((v) => ((v - mean) / Math.sqrt(variance + epsilon)) * gamma + beta);
/** Interleaves per-channel lists of one example's pixels into NHWC order. */
const interleave = (...channels: number[][]): number[] => channels[0]!.flatMap((_, p) => channels.map((c) => c[p]!));

export const layerHandCases: LayerHandCase[] = [
  {
    // channel 0: windows {1, 5, 3, 4} and {2, 0, 7, 8}; channel 1 is channel 0 × 10, so a pool that mixes channels fails
    label: 'average-pool averages each 2×2 window of each channel',
    layers: [{ kind: 'average-pool', name: 'pool', kernelSize: 2 }],
    inputShape: [2, 4, 2],
    x: { shape: [1, 2, 4, 2], values: interleave([1, 5, 2, 0, 3, 4, 7, 8], [10, 50, 20, 0, 30, 40, 70, 80]) },
    expected: { shape: [1, 1, 2, 2], values: [13 / 4, 130 / 4, 17 / 4, 170 / 4] },
  },
  {
    // example 0 channel 0: [1, 2, 3, 4], mean 2.5, variance 1.25; example 1 channel 0 is the same × 10 + 7 (mean 32,
    // variance 125), which batch norm would have mixed in. Channel 1: [0, 0, 0, 8] (mean 2, variance 12), and a
    // constant [5, 5, 5, 5] whose x̂ is 0, so its output is β alone.
    label: 'instance-norm normalises each example\'s channel over its pixels, then scales by γ and shifts by β',
    layers: [{ kind: 'instance-norm', name: 'norm', epsilon }],
    inputShape: [2, 2, 2],
    x: { shape: [2, 2, 2, 2], values: [...interleave([1, 2, 3, 4], [0, 0, 0, 8]), ...interleave([17, 27, 37, 47], [5, 5, 5, 5])] },
    parameters: { 'norm/gamma': [2, -0.5], 'norm/beta': [0.5, 1] },
    expected: {
      shape: [2, 2, 2, 2],
      values: [
        ...interleave(normalised([1, 2, 3, 4], 2.5, 1.25, 2, 0.5), normalised([0, 0, 0, 8], 2, 12, -0.5, 1)),
        ...interleave(normalised([17, 27, 37, 47], 32, 125, 2, 0.5), [1, 1, 1, 1]),
      ],
    },
  },
  {
    // f = 2, TensorFlow's depth_to_space: pixel (0, j)'s channels c0 c1 c2 c3 become the block [[c0, c1], [c2, c3]]
    label: 'pixel-shuffle lays each pixel\'s f² channels out as an f×f block',
    layers: [{ kind: 'pixel-shuffle', name: 'shuffle', kernelSize: 2 }],
    inputShape: [1, 2, 4],
    x: { shape: [1, 1, 2, 4], values: [10, 11, 12, 13, 20, 21, 22, 23] },
    expected: { shape: [1, 2, 4, 1], values: [10, 11, 20, 21, 12, 13, 22, 23] },
  },
  {
    // Half-pixel centres (Keras UpSampling2D bilinear): output centres 0.25, 0.75, 1.25, 1.75 in input pixels, minus
    // 0.5, clamped to [0, 1], weigh the second input pixel 0, 0.25, 0.75, 1 along each axis. Rows [0, 4] and [8, 12]
    // widen to [0, 1, 3, 4] and [8, 9, 11, 12]; the rows between mix them 3:1 and 1:3.
    label: 'bilinear-upsample interpolates with half-pixel centres along both axes',
    layers: [{ kind: 'bilinear-upsample', name: 'up', kernelSize: 2 }],
    inputShape: [2, 2, 1],
    x: { shape: [1, 2, 2, 1], values: [0, 4, 8, 12] },
    expected: { shape: [1, 4, 4, 1], values: [0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12] },
  },
];

/** The case's layer on the current backend, its parameters set; the caller disposes it. */
export function handCaseNetwork(c: LayerHandCase): Network {
  if (c.parameters === undefined) return Network.create(c.layers, c.inputShape, Rng.fromSeed(1));
  const tensors: CheckpointTensor[] = Network.parameterShapes(c.layers, c.inputShape).map(({ name, shape }) => {
    const values = c.parameters![name];
    if (values === undefined) throw new Error(`hand case "${c.label}" gives no values for ${name}`);
    return { name, shape, dtype: 'float32', data: new Uint8Array(Float32Array.from(values).buffer), scale: [] };
  });
  return Network.fromCheckpoint(c.layers, c.inputShape, tensors);
}

/** Runs a case in inference mode on the current backend; read back asynchronously, as webgpu in Node requires. */
export async function runHandCase(c: LayerHandCase): Promise<{ shape: number[]; values: number[] }> {
  const net = handCaseNetwork(c);
  const x = tf.tensor(c.x.values, c.x.shape, 'float32');
  const y = net.apply(x, { training: false });
  try {
    return { shape: y.shape, values: Array.from(await y.data()) };
  } finally {
    tf.dispose([x, y]);
    net.dispose();
  }
}

/** Largest |got − expected| over the case's output, and the bound it must meet. */
export function handCaseError(c: LayerHandCase, got: number[]): { maxAbsError: number; bound: number } {
  const scale = Math.max(1, ...c.expected.values.map(Math.abs));
  const maxAbsError = got.reduce((m, v, i) => Math.max(m, Math.abs(v - c.expected.values[i]!)), 0);
  return { maxAbsError, bound: handCaseRelativeBound * scale };
}
