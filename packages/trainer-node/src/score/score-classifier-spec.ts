import type { ImageShape, ModelSpec } from '@forger/core';
import { classifierSpec } from '@forger/models';

/** The variant name `forger score` expects of its reference classifier. */
export const SCORE_CLASSIFIER_VARIANT = 'score-lenet-classifier';

/**
 * The reference classifier of `forger score`: a LeNet-style convnet, the network that MNIST GAN papers use for
 * "FID with a LeNet" and classifier-based Inception scores (an ImageNet Inception network means little on digits).
 *   conv 5×5 32 ReLU → max-pool 2 → conv 5×5 64 ReLU → max-pool 2 → dense 128 ReLU (the features) → dense K logits.
 * The 128 features are the input of the last layer with weights, what `Network.applyWithFeatures` returns.
 */
export function scoreClassifierSpec(image: ImageShape, classNames: string[]): ModelSpec {
  return classifierSpec({
    family: 'ssgan', // replaced by classifierSpec
    variant: 'score-lenet',
    latentDim: 0,
    latentPrior: 'uniform',
    image,
    pixelRange: 'zero-one',
    numClasses: classNames.length,
    classNames,
    generatorLayers: [],
    discriminatorLayers: [
      { kind: 'conv2d', name: 'conv2d_1', units: 32, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu', useBias: true },
      { kind: 'max-pool', name: 'max_pool_1', kernelSize: 2, strides: 2, padding: 'valid' },
      { kind: 'conv2d', name: 'conv2d_2', units: 64, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu', useBias: true },
      { kind: 'max-pool', name: 'max_pool_2', kernelSize: 2, strides: 2, padding: 'valid' },
      { kind: 'flatten', name: 'flatten' },
      { kind: 'dense', name: 'features', units: 128, activation: 'relu', useBias: true },
      { kind: 'dense', name: 'logits', units: classNames.length, activation: 'linear', useBias: true },
    ],
  });
}
