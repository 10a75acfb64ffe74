import type { ImageShape, LayerSpec, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';
import { withArchitecture, type ArchitectureOptions } from '../architecture/architecture-options.js';

export interface RadfordDcganSpecOptions extends ArchitectureOptions {
  /** 28×28×1 (MNIST, the default) or 32×32×3 (CIFAR-10); any size that halves to a base of at most 7 (see below). */
  image?: ImageShape;
  latentDim?: number;
  /** G's filters at its last hidden stage, doubling towards z (pytorch/examples dcgan's ngf): 64. */
  generatorFilters?: number;
  /** D's filters at its first stage, doubling per stage (ndf): 64. */
  discriminatorFilters?: number;
  /** Kernel of every (transposed) convolution: 4, as in pytorch/examples dcgan. */
  kernelSize?: number;
  /** 3×3 stride-1 convolutions (with batch norm and ReLU) at G's last hidden stage, before its output layer: 0. */
  generatorExtraLayers?: number;
  /** 3×3 stride-1 convolutions (with batch norm and LeakyReLU) after D's first convolution: 0. */
  discriminatorExtraLayers?: number;
}

/** BatchNorm2d's ε 1e-5 and momentum 0.1 (Keras momentum 0.9), pytorch/examples dcgan's. */
const BATCH_NORM = { epsilon: 1e-5, momentum: 0.9 };

/** DCGAN's LeakyReLU slope: "the slope of the leak was set to 0.2 in all models" (Radford et al. 2015, §4). */
const SLOPE = 0.2;

/** Halvings from the image down to the base map: while both sides are even and above 4 (28 → 14 → 7; 32 → … → 4). */
function stagesOf(image: ImageShape): number {
  let h = image.height;
  let w = image.width;
  let stages = 0;
  while (h % 2 === 0 && w % 2 === 0 && h > 4 && w > 4) {
    h /= 2;
    w /= 2;
    stages++;
  }
  if (stages === 0 || h > 7 || w > 7) {
    throw new ModelError('bad-spec', `radfordDcganSpec halves the image by stride-2 convolutions down to a base of at most 7×7, and ${image.height}×${image.width} ends at ${h}×${w}; use a size like 28, 32 or 64`, { where: 'image' });
  }
  return stages;
}

/** A count of extra layers: a whole number from 0. */
function extraLayerCount(value: number | undefined, where: string): number {
  const count = value ?? 0;
  if (!Number.isInteger(count) || count < 0) throw new ModelError('bad-spec', `${where} is a count of layers (a whole number from 0), got ${count}`, { where });
  return count;
}

/**
 * WassersteinGAN's `n_extra_layers` (Arjovsky et al. 2017, models/dcgan.py): 3×3 stride-1 convolutions that keep a
 * stage's size and filters, each followed by batch norm and the network's activation. They deepen a network without
 * another stride-2 stage, which a 28×28 image has no room for.
 */
function extraLayers(count: number, filters: number, activation: 'relu' | 'leaky_relu'): LayerSpec[] {
  return Array.from({ length: count }, (_, i) => [
    { kind: 'conv2d', name: `extra_conv_${i + 1}`, units: filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias: false },
    { kind: 'batch-norm', name: `extra_batch_norm_${i + 1}`, ...BATCH_NORM },
    { kind: 'activation', name: `extra_${activation}_${i + 1}`, activation, ...(activation === 'leaky_relu' ? { rate: SLOPE } : {}) },
  ] satisfies LayerSpec[]).flat();
}

/**
 * The DCGAN of Radford, Metz & Chintala 2015, "Unsupervised Representation Learning with Deep Convolutional GANs"
 * (§3, the architecture guidelines), laid out as pytorch/examples' dcgan/main.py lays it out:
 *   - strided convolutions instead of pooling in D, stride-2 transposed convolutions in G (4×4 kernels, padding 1:
 *     "same" here, which pads 1 on each side for stride 2 and kernel 4);
 *   - batch norm in G and D, but not on G's output nor D's input layer;
 *   - ReLU in G with tanh at its output, LeakyReLU 0.2 in D; no hidden fully connected layers;
 *   - z ~ N(0, 1) (main.py's torch.randn).
 * G: z → dense to base×base×(ngf·2^(s−1)) (main.py's first 4×4 transposed conv on a 1×1 z, as a matrix) → BN → ReLU
 *    → s stride-2 transposed convs, halving the filters, the last to the image's channels with tanh.
 * D: s stride-2 convs (ndf, 2·ndf, …), LeakyReLU, BN from the second on → flatten → dense 1 (main.py's last conv,
 *    whose kernel covers the whole base map: the same weights as a dense layer); the sigmoid sits in the loss.
 * s is the number of halvings to the base: MNIST's 28 → 14 → 7 (s = 2), CIFAR-10's 32 → 16 → 8 → 4 (s = 3, main.py's
 * 4×4 base). `generatorExtraLayers`/`discriminatorExtraLayers` add WassersteinGAN's extra 3×3 stride-1 layers at G's
 * last hidden stage and after D's first convolution (none by default). Convolutions carry no bias, as in main.py
 * (batch norm's β replaces it). Gap: main.py draws weights from N(0, 0.02); Forger's layers start from
 * Glorot-uniform, as every family does.
 */
export function radfordDcganSpec(o: RadfordDcganSpecOptions = {}): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  const stages = stagesOf(image);
  const ngf = o.generatorFilters ?? 64;
  const ndf = o.discriminatorFilters ?? 64;
  const k = o.kernelSize ?? 4;
  const generatorExtra = extraLayerCount(o.generatorExtraLayers, 'generatorExtraLayers');
  const discriminatorExtra = extraLayerCount(o.discriminatorExtraLayers, 'discriminatorExtraLayers');
  const bh = image.height / 2 ** stages;
  const bw = image.width / 2 ** stages;
  const baseFilters = ngf * 2 ** (stages - 1);
  const generatorLayers: LayerSpec[] = [
    { kind: 'dense', name: 'project', units: bh * bw * baseFilters, activation: 'linear', useBias: false },
    { kind: 'reshape', name: 'reshape', targetShape: [bh, bw, baseFilters] },
    { kind: 'batch-norm', name: 'batch_norm_0', ...BATCH_NORM },
    { kind: 'activation', name: 'relu_0', activation: 'relu' },
  ];
  for (let s = 1; s <= stages; s++) {
    if (s < stages) {
      generatorLayers.push(
        { kind: 'conv2d-transpose', name: `deconv_${s}`, units: baseFilters / 2 ** s, kernelSize: k, strides: 2, padding: 'same', activation: 'linear', useBias: false },
        { kind: 'batch-norm', name: `batch_norm_${s}`, ...BATCH_NORM },
        { kind: 'activation', name: `relu_${s}`, activation: 'relu' },
      );
    } else {
      generatorLayers.push(...extraLayers(generatorExtra, baseFilters / 2 ** (s - 1), 'relu'), { kind: 'conv2d-transpose', name: `deconv_${s}`, units: image.channels, kernelSize: k, strides: 2, padding: 'same', activation: 'tanh', useBias: false });
    }
  }
  const discriminatorLayers: LayerSpec[] = [];
  for (let s = 1; s <= stages; s++) {
    const conv: LayerSpec = { kind: 'conv2d', name: `conv2d_${s}`, units: ndf * 2 ** (s - 1), kernelSize: k, strides: 2, padding: 'same', useBias: false };
    if (s === 1) {
      discriminatorLayers.push({ ...conv, activation: 'leaky_relu', rate: SLOPE }, ...extraLayers(discriminatorExtra, ndf, 'leaky_relu'));
    } else {
      discriminatorLayers.push(
        { ...conv, activation: 'linear' },
        { kind: 'batch-norm', name: `batch_norm_${s}`, ...BATCH_NORM },
        { kind: 'activation', name: `leaky_relu_${s}`, activation: 'leaky_relu', rate: SLOPE },
      );
    }
  }
  discriminatorLayers.push({ kind: 'flatten', name: 'flatten' }, { kind: 'dense', name: 'logit', units: 1, activation: 'linear', useBias: false });
  return withArchitecture({
    family: 'dcgan',
    variant: 'radford-dcgan',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    latentPrior: 'normal',
    image,
    pixelRange: 'minus-one-one',
    numClasses: 0,
    classNames: [],
    generatorLayers,
    discriminatorLayers,
  }, o);
}
