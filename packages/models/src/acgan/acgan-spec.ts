import type { ImageShape, LayerSpec, ModelSpec } from '@forger/core';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';

export interface AcganSpecOptions {
  numClasses: number;
  classNames?: string[];
  latentDim?: number;
  image?: ImageShape;
  /** Units of the hidden layers, input side first (G) / image side first (D). */
  hiddenUnits?: readonly number[];
}

/**
 * Leaky-ReLU slope 0.2: DCGAN's (Radford et al. 2015 §3), and that of tfjs-examples' mnist-acgan discriminator.
 * Leaky units keep a gradient for every input, which an MLP D of ReLUs loses on dead units early in training.
 */
const LEAKY_SLOPE = 0.2;

/**
 * Default hidden sizes: two layers, 128 and 256 units. One 128-unit layer (the vanilla family's) has to hold ten
 * classes' shapes in one layer; two layers give the class input room to steer the image. Wider layers (256, 512)
 * halved the speed on this project's 2 shared cores (~240 against ~475 img/s on wasm), and what a run here can
 * afford is a few epochs in under ten minutes (README: the acgan run and its scores).
 */
export const ACGAN_HIDDEN_UNITS: readonly number[] = [128, 256];

/**
 * The conditional MLP GAN of Forger's `acgan` family, with the losses of Odena et al. 2017 ("Conditional Image
 * Synthesis with Auxiliary Classifier GANs"):
 *   G: [z (100, U(−1, 1)) ; one-hot class (K)] → 128 leaky → 256 leaky → pixels, tanh ([−1, 1]),
 *   D: x → 256 leaky → 128 leaky → K class logits followed by 1 real/fake logit.
 * The class enters G concatenated to z (the original conditional GAN's input, Mirza & Osindero 2014; tfjs-examples'
 * mnist-acgan multiplies z by a learned class embedding instead, which needs a layer the checkpoint format does not
 * have). The class logits come first so that the classifying code shared with the semi-supervised family (`classify`)
 * reads the first K outputs of every classifying discriminator; the real/fake logit is the last one.
 */
export function acganSpec(o: AcganSpecOptions): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  const hidden = o.hiddenUnits ?? ACGAN_HIDDEN_UNITS;
  const pixels = image.height * image.width * image.channels;
  const leaky = (name: string, units: number): LayerSpec => ({ kind: 'dense', name, units, activation: 'leaky_relu', rate: LEAKY_SLOPE, useBias: true });
  return {
    family: 'acgan',
    variant: 'mlp',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    // mnist-acgan draws z from U(−1, 1) (gan.js, tf.randomUniform([batchSize, latentSize], -1, 1))
    latentPrior: 'uniform',
    image,
    pixelRange: 'minus-one-one',
    numClasses: o.numClasses,
    classNames: o.classNames ?? [],
    generatorLayers: [
      ...hidden.map((units, i) => leaky(`dense_${i + 1}`, units)),
      { kind: 'dense', name: `dense_${hidden.length + 1}`, units: pixels, activation: 'tanh', useBias: true },
      { kind: 'reshape', name: 'reshape', targetShape: [image.height, image.width, image.channels] },
    ],
    discriminatorLayers: [
      { kind: 'flatten', name: 'flatten' },
      ...[...hidden].reverse().map((units, i) => leaky(`dense_${i + 1}`, units)),
      { kind: 'dense', name: `dense_${hidden.length + 1}`, units: o.numClasses + 1, activation: 'linear', useBias: true },
    ],
  };
}
