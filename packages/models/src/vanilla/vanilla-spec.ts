import type { ImageShape, LayerSpec, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';
import { withArchitecture, type ArchitectureOptions } from '../architecture/architecture-options.js';

/** The width of the chapter's two-layer MLPs' hidden layer (wiseodd/generative-models' gan_tensorflow.py: 128). */
export const DEFAULT_VANILLA_HIDDEN_UNITS = 128;

/** With `output: 'tanh'` the chapter's [−1, 1] inputs; `norm: 'instance'`, `downsample` and `upsample` need feature maps and throw. */
export interface VanillaSpecOptions extends ArchitectureOptions {
  latentDim?: number;
  /**
   * Units of the hidden layers, z's side first; D has the same layers in the mirrored order (image side first). One
   * number is the chapter's single hidden layer.
   */
  hiddenUnits?: number | readonly number[];
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
 * The ArchitectureOptions rewrite these layers (architecture-options.ts). `hiddenUnits` may give more than one hidden
 * layer (Forger's vanilla recipe: 128 then 256 in G, 256 then 128 in D); with one, the layer names are the chapter's
 * (dense_1, dense_2), so checkpoints of either shape load by the same names.
 */
export function vanillaSpec(o: VanillaSpecOptions = {}): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  const hidden = hiddenLayers(o.hiddenUnits ?? DEFAULT_VANILLA_HIDDEN_UNITS);
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
      ...hidden.map((units, i) => relu(`dense_${i + 1}`, units)),
      { kind: 'dense', name: `dense_${hidden.length + 1}`, units: pixels, activation: 'sigmoid', useBias: true },
      { kind: 'reshape', name: 'reshape', targetShape: [image.height, image.width, image.channels] },
    ],
    discriminatorLayers: [
      { kind: 'flatten', name: 'flatten' },
      ...[...hidden].reverse().map((units, i) => relu(`dense_${i + 1}`, units)),
      { kind: 'dense', name: `dense_${hidden.length + 1}`, units: 1, activation: 'linear', useBias: true },
    ],
  }, o);
}

function relu(name: string, units: number): LayerSpec {
  return { kind: 'dense', name, units, activation: 'relu', useBias: true };
}

function hiddenLayers(units: number | readonly number[]): readonly number[] {
  const list = typeof units === 'number' ? [units] : units;
  if (list.length === 0 || list.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new ModelError('bad-options', `hiddenUnits must be one or more whole numbers ≥ 1, got [${list.join(', ')}]`, { where: 'hiddenUnits' });
  }
  return list;
}
