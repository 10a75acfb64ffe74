import type { ImageShape, LayerSpec, ModelSpec } from '@forger/core';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';
import { withArchitecture, type ArchitectureOptions } from '../architecture/architecture-options.js';

/** `norm: 'instance'`, `downsample` and `upsample` need feature maps and throw. */
export interface ImprovedGanSpecOptions extends ArchitectureOptions {
  image?: ImageShape;
  latentDim?: number;
  numClasses?: number;
  classNames?: string[];
  /** Discriminator hidden widths; the paper's MNIST model: [1000, 500, 250, 250, 250]. */
  discriminatorUnits?: number[];
  /** Generator hidden widths; the paper's: [500, 500]. */
  generatorUnits?: number[];
}

/**
 * The MNIST model of Salimans et al. 2016, "Improved Techniques for Training
 * GANs" (openai/improved-gan, mnist_svhn_cifar10/train_mnist_feature_matching.py):
 *   D: 784 → Gaussian noise σ 0.3 → [dense ReLU → Gaussian noise σ 0.5] for
 *      1000, 500, 250, 250, 250 units → dense K logits (no "generated" output:
 *      D(x) = Z/(Z+1) with Z = Σ exp(logits)),
 *   G: z (100, U(−1, 1)) → [dense → batch norm → softplus] × 500, 500 → dense
 *      784 sigmoid (pixels in [0, 1]).
 * with the paper's weight normalisation: D's hidden layers keep the scale
 * that data-dependent initialisation gives them (nn.DenseLayer,
 * train_scale=False), D's output layer trains it (train_scale=True), and G's
 * output layer is l2-normalised with a trained scale starting at 1 (nn.l2normalize).
 * The batch norm before softplus is Lasagne's batch_norm() order. The ArchitectureOptions rewrite these layers
 * (architecture-options.ts).
 */
export function improvedGanSpec(o: ImprovedGanSpecOptions = {}): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  const numClasses = o.numClasses ?? 10;
  const pixels = image.height * image.width * image.channels;
  const discriminatorLayers: LayerSpec[] = [
    { kind: 'flatten', name: 'flatten' },
    { kind: 'gaussian-noise', name: 'noise_0', rate: 0.3 },
    ...(o.discriminatorUnits ?? [1000, 500, 250, 250, 250]).flatMap((units, i): LayerSpec[] => [
      { kind: 'dense', name: `dense_${i + 1}`, units, activation: 'relu', useBias: true, weightNorm: 'fixed-scale' },
      { kind: 'gaussian-noise', name: `noise_${i + 1}`, rate: 0.5 },
    ]),
    { kind: 'dense', name: 'logits', units: numClasses, activation: 'linear', useBias: true, weightNorm: 'trained-scale' },
  ];
  const generatorLayers: LayerSpec[] = [
    ...(o.generatorUnits ?? [500, 500]).flatMap((units, i): LayerSpec[] => [
      { kind: 'dense', name: `dense_${i + 1}`, units, activation: 'linear', useBias: false },
      { kind: 'batch-norm', name: `batch_norm_${i + 1}`, epsilon: 1e-4, momentum: 0.9 },
      { kind: 'activation', name: `softplus_${i + 1}`, activation: 'softplus' },
    ]),
    { kind: 'dense', name: 'output', units: pixels, activation: 'sigmoid', useBias: true, weightNorm: 'trained-scale' },
    { kind: 'reshape', name: 'reshape', targetShape: [image.height, image.width, image.channels] },
  ];
  return withArchitecture({
    family: 'ssgan',
    variant: 'improved-gan',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    latentPrior: 'uniform',
    image,
    pixelRange: 'zero-one',
    numClasses,
    classNames: o.classNames ?? [],
    generatorLayers,
    discriminatorLayers,
  }, o);
}
