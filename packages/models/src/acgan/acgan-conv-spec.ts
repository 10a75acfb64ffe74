import type { ImageShape, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';

export interface AcganConvSpecOptions {
  numClasses: number;
  classNames?: string[];
  latentDim?: number;
  /** 28×28×1 (MNIST, the default) or 32×32×c; height and width multiples of 4, at least 20. */
  image?: ImageShape;
  /** Filters of G's dense base and two transposed convolutions; mnist-acgan: [384, 192, 96]. */
  generatorFilters?: [number, number, number];
  /** Filters of D's four convolutions; mnist-acgan: [32, 64, 128, 256]. */
  discriminatorFilters?: [number, number, number, number];
  /** Kernel sizes of G and D; mnist-acgan: 5 and 3. Smaller only for tiny test networks. */
  kernelSizes?: [number, number];
}

/**
 * The convolutional networks of tfjs-examples' mnist-acgan (gan.js buildGenerator / buildDiscriminator), with the
 * class entering G concatenated to z as in Forger's MLP acgan (acgan-spec.ts explains why not an embedding):
 *   G: [z ; one-hot] → dense 3·3·384 relu → reshape 3×3×384 → conv-transpose 192 5×5 valid (7×7) → batch norm → relu
 *      → conv-transpose 96 5×5 stride 2 same (14×14) → batch norm → relu → conv-transpose c 5×5 stride 2 same (28×28) tanh,
 *   D: conv 32 3×3 stride 2 → leaky 0.2 → dropout 0.3 → conv 64 3×3 → leaky → dropout → conv 128 3×3 stride 2 → leaky
 *      → dropout → conv 256 3×3 → leaky → dropout → flatten → K class logits and 1 real/fake logit.
 * mnist-acgan's D has two heads (sigmoid real/fake, softmax classes) on the flattened features; one dense layer with
 * K + 1 linear outputs is the same pair of heads, its losses applying the sigmoid and the softmax (acgan-losses.ts).
 * For a 32×32 image the base is 4×4 (image/4 − 4, so that the valid 5×5 transposed convolution gives image/4).
 */
export function acganConvSpec(o: AcganConvSpecOptions): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  if (image.height % 4 !== 0 || image.width % 4 !== 0 || image.height < 20 || image.width < 20) {
    throw new ModelError('bad-spec', `acganConvSpec needs image height and width divisible by 4 and at least 20 (two 2× transposed convolutions after a 5×5 valid one), got ${image.height}×${image.width}`);
  }
  const [g0, g1, g2] = o.generatorFilters ?? [384, 192, 96];
  const [d1, d2, d3, d4] = o.discriminatorFilters ?? [32, 64, 128, 256];
  const [gk, dk] = o.kernelSizes ?? [5, 3];
  const bh = image.height / 4 - (gk - 1);
  const bw = image.width / 4 - (gk - 1);
  if (bh < 1 || bw < 1) throw new ModelError('bad-spec', `acganConvSpec: a ${gk}×${gk} valid transposed convolution cannot reach ${image.height / 4}×${image.width / 4}`);
  const conv = (name: string, units: number, strides: number) =>
    ({ kind: 'conv2d', name, units, kernelSize: dk, strides, padding: 'same', activation: 'leaky_relu', rate: 0.2, useBias: true }) as const;
  return {
    family: 'acgan',
    variant: 'mnist-acgan-conv',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    latentPrior: 'uniform',
    image,
    pixelRange: 'minus-one-one',
    numClasses: o.numClasses,
    classNames: o.classNames ?? [],
    generatorLayers: [
      { kind: 'dense', name: 'dense_1', units: bh * bw * g0, activation: 'relu', useBias: true },
      { kind: 'reshape', name: 'reshape', targetShape: [bh, bw, g0] },
      { kind: 'conv2d-transpose', name: 'deconv_1', units: g1, kernelSize: gk, strides: 1, padding: 'valid', activation: 'linear', useBias: true },
      // tf.layers.batchNormalization defaults, as mnist-acgan leaves them
      { kind: 'batch-norm', name: 'batch_norm_1', epsilon: 1e-3, momentum: 0.99 },
      { kind: 'activation', name: 'relu_1', activation: 'relu' },
      { kind: 'conv2d-transpose', name: 'deconv_2', units: g2, kernelSize: gk, strides: 2, padding: 'same', activation: 'linear', useBias: true },
      { kind: 'batch-norm', name: 'batch_norm_2', epsilon: 1e-3, momentum: 0.99 },
      { kind: 'activation', name: 'relu_2', activation: 'relu' },
      { kind: 'conv2d-transpose', name: 'deconv_3', units: image.channels, kernelSize: gk, strides: 2, padding: 'same', activation: 'tanh', useBias: true },
    ],
    discriminatorLayers: [
      conv('conv2d_1', d1, 2),
      { kind: 'dropout', name: 'dropout_1', rate: 0.3 },
      conv('conv2d_2', d2, 1),
      { kind: 'dropout', name: 'dropout_2', rate: 0.3 },
      conv('conv2d_3', d3, 2),
      { kind: 'dropout', name: 'dropout_3', rate: 0.3 },
      conv('conv2d_4', d4, 1),
      { kind: 'dropout', name: 'dropout_4', rate: 0.3 },
      { kind: 'flatten', name: 'flatten' },
      { kind: 'dense', name: 'dense_1', units: o.numClasses + 1, activation: 'linear', useBias: true },
    ],
  };
}
