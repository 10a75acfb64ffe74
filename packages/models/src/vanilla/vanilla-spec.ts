import type { ImageShape, ModelSpec } from '@forger/core';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';
import { withArchitecture, type ArchitectureOptions } from '../architecture/architecture-options.js';

/** The width of the chapter's two-layer MLPs' hidden layer (wiseodd/generative-models' gan_tensorflow.py: 128). */
export const DEFAULT_VANILLA_HIDDEN_UNITS = 128;

/** With `output: 'tanh'` the chapter's [−1, 1] inputs; `norm: 'instance'`, `downsample` and `upsample` need feature maps and throw. */
export interface VanillaSpecOptions extends ArchitectureOptions {
  latentDim?: number;
  hiddenUnits?: number;
  image?: ImageShape;
}

/**
 * The vanilla GAN of the classic TensorFlow example (Goodfellow et al. 2014 as
 * written in wiseodd/generative-models, gan_tensorflow.py): two-layer MLPs,
 *   G: z (100, U(−1, 1)) → 128 ReLU → 784 sigmoid (pixels in [0, 1]),
 *   D: x (784) → 128 ReLU → 1.
 * D's last layer is linear: it outputs the logit, and the losses apply the
 * sigmoid inside a stable cross-entropy (see losses.ts). The reshape and
 * flatten layers only let both networks speak NHWC images like every family.
 * The ArchitectureOptions rewrite these layers (architecture-options.ts).
 */
export function vanillaSpec(o: VanillaSpecOptions = {}): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  const hidden = o.hiddenUnits ?? DEFAULT_VANILLA_HIDDEN_UNITS;
  const pixels = image.height * image.width * image.channels;
  return withArchitecture({
    family: 'vanilla',
    variant: 'tensorflow-classic',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    latentPrior: 'uniform',
    image,
    pixelRange: 'zero-one',
    numClasses: 0,
    classNames: [],
    generatorLayers: [
      { kind: 'dense', name: 'dense_1', units: hidden, activation: 'relu', useBias: true },
      { kind: 'dense', name: 'dense_2', units: pixels, activation: 'sigmoid', useBias: true },
      { kind: 'reshape', name: 'reshape', targetShape: [image.height, image.width, image.channels] },
    ],
    discriminatorLayers: [
      { kind: 'flatten', name: 'flatten' },
      { kind: 'dense', name: 'dense_1', units: hidden, activation: 'relu', useBias: true },
      { kind: 'dense', name: 'dense_2', units: 1, activation: 'linear', useBias: true },
    ],
  }, o);
}
