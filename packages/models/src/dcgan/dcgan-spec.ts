import type { ImageShape, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';
import { withArchitecture, type ArchitectureOptions } from '../architecture/architecture-options.js';

export interface DcganSpecOptions extends ArchitectureOptions {
  /** 28×28×1 (MNIST, the default) or 32×32×3 (CIFAR-10); height and width must be multiples of 4. */
  image?: ImageShape;
  latentDim?: number;
  /** keras-dcgan: 5. Smaller kernels only for tiny test images. */
  kernelSize?: number;
  /** Generator's first dense layer; keras-dcgan: 1024. */
  generatorDense?: number;
  /** Filters of the two stages, [generator conv / discriminator conv 1, base channels / discriminator conv 2]; keras-dcgan: [64, 128]. */
  filters?: [number, number];
  /** Discriminator's hidden dense layer; keras-dcgan: 1024. */
  discriminatorDense?: number;
}

/**
 * The DCGAN of keras-dcgan (jacobgil/keras-dcgan, dcgan.py), layer for layer:
 *   G: z (100, U(−1, 1)) → Dense 1024 tanh → Dense 128·7·7 → BatchNorm → tanh
 *      → reshape 7×7×128 → UpSampling 2 → Conv 64 5×5 same tanh
 *      → UpSampling 2 → Conv 1 5×5 same tanh (pixels in [−1, 1]),
 *   D: Conv 64 5×5 same tanh → MaxPool 2 → Conv 128 5×5 (valid) tanh → MaxPool 2
 *      → Flatten → Dense 1024 tanh → Dense 1 (sigmoid, applied in the loss).
 * The 7×7 base is image/4, so 32×32 CIFAR images start from 8×8. The ArchitectureOptions rewrite these layers
 * (architecture-options.ts); radfordDcganSpec is the DCGAN of the paper's guidelines.
 */
export function dcganSpec(o: DcganSpecOptions = {}): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  if (image.height % 4 !== 0 || image.width % 4 !== 0) {
    throw new ModelError('bad-spec', `dcganSpec needs image height and width divisible by 4 (two 2× upsamplings), got ${image.height}×${image.width}`);
  }
  const k = o.kernelSize ?? 5;
  const [f1, f2] = o.filters ?? [64, 128];
  const bh = image.height / 4;
  const bw = image.width / 4;
  return withArchitecture({
    family: 'dcgan',
    variant: 'keras-dcgan',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    latentPrior: 'uniform',
    image,
    pixelRange: 'minus-one-one',
    numClasses: 0,
    classNames: [],
    generatorLayers: [
      { kind: 'dense', name: 'dense_1', units: o.generatorDense ?? 1024, activation: 'tanh', useBias: true },
      { kind: 'dense', name: 'dense_2', units: f2 * bh * bw, activation: 'linear', useBias: true },
      // Keras BatchNormalization defaults.
      { kind: 'batch-norm', name: 'batch_norm_1', epsilon: 1e-3, momentum: 0.99 },
      { kind: 'activation', name: 'tanh_1', activation: 'tanh' },
      { kind: 'reshape', name: 'reshape', targetShape: [bh, bw, f2] },
      { kind: 'upsample', name: 'upsample_1', kernelSize: 2 },
      { kind: 'conv2d', name: 'conv2d_1', units: f1, kernelSize: k, strides: 1, padding: 'same', activation: 'tanh', useBias: true },
      { kind: 'upsample', name: 'upsample_2', kernelSize: 2 },
      { kind: 'conv2d', name: 'conv2d_2', units: image.channels, kernelSize: k, strides: 1, padding: 'same', activation: 'tanh', useBias: true },
    ],
    discriminatorLayers: [
      { kind: 'conv2d', name: 'conv2d_1', units: f1, kernelSize: k, strides: 1, padding: 'same', activation: 'tanh', useBias: true },
      { kind: 'max-pool', name: 'max_pool_1', kernelSize: 2, strides: 2, padding: 'valid' },
      { kind: 'conv2d', name: 'conv2d_2', units: f2, kernelSize: k, strides: 1, padding: 'valid', activation: 'tanh', useBias: true },
      { kind: 'max-pool', name: 'max_pool_2', kernelSize: 2, strides: 2, padding: 'valid' },
      { kind: 'flatten', name: 'flatten' },
      { kind: 'dense', name: 'dense_1', units: o.discriminatorDense ?? 1024, activation: 'tanh', useBias: true },
      { kind: 'dense', name: 'dense_2', units: 1, activation: 'linear', useBias: true },
    ],
  }, o);
}
