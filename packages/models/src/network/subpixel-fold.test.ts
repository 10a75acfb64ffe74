import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type LayerSpec } from '@forger/core';
import { Network } from './network.js';
import { UPSAMPLE_CONV_FLAG, foldedKernel, planSubPixelFold, upsampleConvRoute } from './subpixel-fold.js';
import { buildGan } from '../gan.js';
import { latentBatch } from '../training/latent.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { dcganSpec } from '../dcgan/dcgan-spec.js';

beforeAll(useCpuBackend);
afterEach(() => tf.env().set(UPSAMPLE_CONV_FLAG, 'subpixel'));

const up = (f: number): LayerSpec => ({ kind: 'upsample', name: 'up', kernelSize: f });
const conv = (k: number, units: number, extra: Partial<LayerSpec> = {}): LayerSpec => ({ kind: 'conv2d', name: 'conv', kernelSize: k, units, padding: 'same', useBias: true, ...extra });

/** The network's inference output with the fold on and off, and whether anything was folded. */
function bothRoutes(layers: LayerSpec[], input: number[], batch = 3): { folded: Float32Array; direct: Float32Array; scale: number } {
  const net = Network.create(layers, input, Rng.fromSeed(7));
  // non-zero biases, so their tiling over the phases is checked too
  for (const v of net.variables.filter((v) => v.name.endsWith('/bias'))) v.assign(tf.randomUniform(v.shape, -0.5, 0.5, 'float32', 3));
  const x = tf.randomUniform([batch, ...input], -1, 1, 'float32', 11);
  const folded = net.apply(x, { training: false }).dataSync() as Float32Array;
  tf.env().set(UPSAMPLE_CONV_FLAG, 'direct');
  const direct = net.apply(x, { training: false }).dataSync() as Float32Array;
  tf.env().set(UPSAMPLE_CONV_FLAG, 'subpixel');
  net.dispose();
  x.dispose();
  return { folded, direct, scale: Math.max(...direct.map(Math.abs)) };
}

const maxDifference = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('the sub-pixel fold of a nearest upsample and a conv2d', () => {
  it('maps each tap of a 5×5 kernel after ×2 to the small image\'s offset by hand', () => {
    const fold = planSubPixelFold(up(2), conv(5, 4))!;
    expect(fold.taps).toBe(3);
    // 'same' pads 2 before. Phase 0 (big row 2i): taps 0–4 read big rows 2i−2 … 2i+2 = small rows i−1, i−1, i, i, i+1.
    // Phase 1 (big row 2i+1): big rows 2i−1 … 2i+3 = small rows i−1, i, i, i+1, i+1.
    expect(Array.from(fold.tapMatrix)).toEqual([
      1, 1, 0, 0, 0, // phase 0, offset −1
      0, 0, 1, 1, 0, // phase 0, offset 0
      0, 0, 0, 0, 1, // phase 0, offset +1
      1, 0, 0, 0, 0, // phase 1, offset −1
      0, 1, 1, 0, 0, // phase 1, offset 0
      0, 0, 0, 1, 1, // phase 1, offset +1
    ]);
  });

  it('sums the weights that read the same small pixel into the folded kernel', () => {
    // one input and one output channel: the folded kernel of phase (0, 0) at offset (−1, −1) is taps (0..1) × (0..1)
    const k = Array.from({ length: 25 }, (_, i) => i);
    const folded = foldedKernel(tf.tensor4d(k, [5, 5, 1, 1]), planSubPixelFold(up(2), conv(5, 1))!);
    expect(folded.shape).toEqual([3, 3, 1, 4]);
    const at = (ty: number, tx: number, phase: number): number => folded.arraySync()[ty]![tx]![0]![phase]!;
    expect(at(0, 0, 0)).toBe(k[0]! + k[1]! + k[5]! + k[6]!);
    // phase (1, 1) = channel 3 at offset (+1, +1): taps 3..4 × 3..4
    expect(at(2, 2, 3)).toBe(k[18]! + k[19]! + k[23]! + k[24]!);
    // phase (0, 1) = channel 1 at offset (+1, 0): row tap 4, column taps 1..2
    expect(at(2, 1, 1)).toBe(k[21]! + k[22]!);
    folded.dispose();
  });

  it('folds only where it saves work: not a 3×3 after ×2, not a strided or valid conv, not another layer', () => {
    expect(planSubPixelFold(up(2), conv(3, 4))).toBeUndefined();
    expect(planSubPixelFold(up(2), conv(5, 4, { strides: 2 }))).toBeUndefined();
    expect(planSubPixelFold(up(2), conv(5, 4, { padding: 'valid' }))).toBeUndefined();
    expect(planSubPixelFold({ kind: 'bilinear-upsample', name: 'up', kernelSize: 2 }, conv(5, 4))).toBeUndefined();
    expect(planSubPixelFold(up(2), { kind: 'conv2d-transpose', name: 't', kernelSize: 5, units: 4, padding: 'same' })).toBeUndefined();
    expect(planSubPixelFold(up(3), conv(5, 4))?.taps).toBe(3);
    expect(planSubPixelFold(up(2), conv(4, 4))?.taps).toBe(3);
  });

  it.each([
    { label: '×2, 5×5, tanh (keras-dcgan)', f: 2, k: 5, activation: 'tanh' as const, input: [7, 7, 6] },
    { label: '×2, 4×4 (even kernel: \'same\' pads unevenly), linear', f: 2, k: 4, activation: 'linear' as const, input: [5, 6, 3] },
    { label: '×3, 5×5, leaky ReLU', f: 3, k: 5, activation: 'leaky_relu' as const, input: [4, 3, 2] },
    { label: '×2, 7×7, relu, no bias', f: 2, k: 7, activation: 'relu' as const, input: [6, 5, 4], useBias: false },
  ])('computes what upsample-then-conv computes: $label', ({ f, k, activation, input, useBias }) => {
    const layers = [up(f), conv(k, 5, { activation, useBias: useBias ?? true })];
    const { folded, direct, scale } = bothRoutes(layers, input);
    expect(folded.length).toBe(3 * input[0]! * f * input[1]! * f * 5);
    expect(maxDifference(folded, direct)).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
    expect(Array.from(folded)).not.toEqual(new Array(folded.length).fill(0));
  });

  it('leaves training alone: the layers run as written, bit for bit', () => {
    const layers = [up(2), conv(5, 2, { activation: 'tanh' })];
    const net = Network.create(layers, [4, 4, 3], Rng.fromSeed(2));
    const x = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 5);
    const written = tf.tidy(() => tf.tanh(tf.add(tf.conv2d(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 8]), net.variable('conv/kernel') as tf.Tensor4D, 1, 'same'), net.variable('conv/bias'))));
    expect(Array.from(net.apply(x, { training: true }).dataSync())).toEqual(Array.from(written.dataSync()));
    net.dispose();
  });

  it('keras-dcgan\'s generator draws the same digits folded as written, and the flag says which runs', () => {
    const spec = dcganSpec();
    const gan = buildGan(spec, 3);
    const z = latentBatch(spec, 4, Rng.fromSeed(4));
    expect(upsampleConvRoute()).toBe('subpixel');
    const folded = gan.generator.apply(z, { training: false }).dataSync() as Float32Array;
    tf.env().set(UPSAMPLE_CONV_FLAG, 'direct');
    expect(upsampleConvRoute()).toBe('direct');
    const direct = gan.generator.apply(z, { training: false }).dataSync() as Float32Array;
    expect(maxDifference(folded, direct)).toBeLessThanOrEqual(1e-5);
    expect(() => tf.env().set(UPSAMPLE_CONV_FLAG, 'fast')).toThrow(/"subpixel" or "direct"/);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  it('a small DCGAN with 5×5 kernels folds too, and its features are still the upsampled image', () => {
    const spec = dcganSpec({ image: { height: 16, width: 16, channels: 1 }, latentDim: 5, kernelSize: 5, generatorDense: 12, filters: [3, 4], discriminatorDense: 8 });
    const gan = buildGan(spec, 5);
    const z = latentBatch(spec, 2, Rng.fromSeed(6));
    const { output, features } = gan.generator.applyWithFeatures(z, { training: false });
    tf.env().set(UPSAMPLE_CONV_FLAG, 'direct');
    const written = gan.generator.applyWithFeatures(z, { training: false });
    expect(maxDifference(output.dataSync() as Float32Array, written.output.dataSync() as Float32Array)).toBeLessThanOrEqual(1e-5);
    expect(features.shape).toEqual([2, 16, 16, 3]);
    // the first call folds the first pair, the second does not: the features agree to rounding
    expect(maxDifference(features.dataSync() as Float32Array, written.features.dataSync() as Float32Array)).toBeLessThanOrEqual(1e-5);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });
});
