// The content of proto/testdata/golden-v1.forger. Values are written out (not
// random) so the golden test can state them; every dtype and quantization mode
// appears once, and the training state is complete.
import type { Checkpoint, CheckpointTensor } from '../checkpoint/types.js';

function f32(name: string, shape: number[], values: number[]): CheckpointTensor {
  return { name, shape, dtype: 'float32', data: new Uint8Array(Float32Array.from(values).buffer), scale: [] };
}

/** 0.5, -0.25, 1.5, 2, -3, 0.125, 1, -1, 0, 65504 (largest half), 2^-24 (smallest subnormal), -0. */
export const GOLDEN_FLOAT16_VALUES = [0.5, -0.25, 1.5, 2, -3, 0.125, 1, -1, 0, 65504, 2 ** -24, -0];
export const GOLDEN_FLOAT16_BYTES = [
  0x00, 0x38, 0x00, 0xb4, 0x00, 0x3e, 0x00, 0x40, 0x00, 0xc2, 0x00, 0x30, 0x00, 0x3c, 0x00, 0xbc, 0x00, 0x00, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x80,
];

export function goldenCheckpoint(): Checkpoint {
  return {
    spec: {
      family: 'dcgan',
      variant: 'golden',
      latentDim: 2,
      latentPrior: 'normal',
      image: { height: 2, width: 2, channels: 1 },
      pixelRange: 'minus-one-one',
      numClasses: 0,
      generatorLayers: [
        { kind: 'dense', name: 'g_dense', units: 3, useBias: true },
        { kind: 'batch-norm', name: 'g_bn', epsilon: 0.001, momentum: 0.99 },
        { kind: 'activation', name: 'g_act', activation: 'relu' },
        { kind: 'dense', name: 'g_out', units: 4, activation: 'tanh' },
        { kind: 'reshape', name: 'g_reshape', targetShape: [2, 2, 1] },
      ],
      discriminatorLayers: [
        { kind: 'conv2d', name: 'd_conv', units: 2, kernelSize: 2, strides: 1, padding: 'valid', activation: 'leaky_relu', rate: 0.2 },
        { kind: 'flatten', name: 'd_flat' },
        { kind: 'dense', name: 'd_out', units: 1, activation: 'sigmoid', useBias: true },
      ],
      classNames: [],
    },
    generator: [
      f32('g_dense/kernel', [2, 3], [0.5, -1.25, 3, 0.001, -0.002, 7]),
      f32('g_dense/bias', [3], [0.1, 0, -0.1]),
      f32('g_bn/gamma', [3], [1, 1, 1]),
      f32('g_bn/beta', [3], [0, 0, 0]),
      f32('g_bn/moving_mean', [3], [0.25, -0.25, 0]),
      f32('g_bn/moving_variance', [3], [1, 2, 4]),
      // GOLDEN_FLOAT16_VALUES as IEEE binary16, little-endian.
      { name: 'g_out/kernel', shape: [3, 4], dtype: 'float16', data: Uint8Array.from(GOLDEN_FLOAT16_BYTES), scale: [] },
    ],
    discriminator: [
      // Per-tensor int8: q = [-127, 0, 64, 127, 1, -1, 2, -2], scale 0.5.
      { name: 'd_conv/kernel', shape: [2, 2, 1, 2], dtype: 'int8', data: Uint8Array.from(Int8Array.of(-127, 0, 64, 127, 1, -1, 2, -2), (v) => v & 0xff), scale: [0.5] },
      f32('d_conv/bias', [2], [0.5, -0.5]),
      // Per-channel int8 on axis 1: scales 0.25 and 1.
      { name: 'd_out/kernel', shape: [2, 2], dtype: 'int8', data: Uint8Array.from([1, 2, 0xfd, 0xfc]), scale: [0.25, 1], quantAxis: 1 },
      f32('d_out/bias', [1], [0]),
    ],
    training: {
      step: 4_294_967_301, // 2^32 + 5: a uint64 beyond 32 bits
      epoch: 3,
      optimizers: [
        {
          network: 'discriminator',
          kind: 'adam',
          iterations: 4_294_967_301,
          hyper: { learning_rate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 },
          slots: [f32('d_out/bias/m', [1], [0.125]), f32('d_out/bias/v', [1], [0.0625])],
        },
        {
          network: 'generator',
          kind: 'sgd',
          iterations: 17,
          hyper: { learning_rate: 0.0005, momentum: 0.9 },
          slots: [],
        },
      ],
      rng: { algorithm: 'xoshiro128**', words: [1, 2, 3, 0xffffffff] },
      data: { dataset: 'mnist', split: 'train', shuffleSeed: 42, epoch: 3, nextIndex: 640 },
      configJson: '{"batchSize":64,"family":"dcgan"}',
      extra: [f32('fixed_noise', [1, 2], [-1, 1])],
    },
    provenance: {
      createdAt: '2026-11-26T00:00:00Z',
      forgerVersion: '0.1.0',
      backend: 'cpu',
      dataset: 'mnist',
      metrics: { d_loss: 0.5, g_loss: 2.25 },
      note: 'golden file for format version 1: do not regenerate unless the format version changes',
    },
  };
}
