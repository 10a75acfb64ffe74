import type { LatentPrior, LayerSpec, ModelSpec } from '@forger/core';
import { withDownsampling, type Downsampling } from './downsampling.js';
import { withDiscriminatorDropout, withGeneratorDropout } from './hidden-dropout.js';
import { withHiddenActivation, type HiddenActivation } from './hidden-activation.js';
import { withNormalization, type Normalization } from './normalization.js';
import { withOutputActivation, type OutputActivation } from './output-activation.js';
import { withUpsampling, type Upsampling } from './upsampling.js';

/**
 * The chapter's architecture tricks as options every spec builder takes (issue 16 item 1). Each one absent keeps
 * the family's own layers; each one given rewrites the family's layer lists the same way for every family, so a
 * switch means one thing everywhere. Families a switch cannot apply to are refused with a ModelError.
 */
export interface ArchitectureOptions {
  /** G's output: tanh with pixels in [−1, 1], or sigmoid with pixels in [0, 1] (sets spec.pixelRange). */
  output?: OutputActivation;
  /** z ~ U(−1, 1) per component ('uniform') or N(0, 1) ('normal'). */
  latentPrior?: LatentPrior;
  /** Every hidden activation of G and D: ReLU, or LeakyReLU with slope 0.2 (Radford et al. 2015). */
  activation?: HiddenActivation;
  /** The normalisation after every hidden layer (not G's output, not D's input layer: Radford et al. 2015). */
  norm?: Normalization;
  /** How D halves its feature maps. Conv families only. */
  downsample?: Downsampling;
  /** How G doubles its feature maps. Conv families only. */
  upsample?: Upsampling;
  /** Dropout at this rate after every hidden layer of G, on at sampling time too (Isola et al. 2017). */
  generatorDropout?: number;
  /** Dropout at this rate after every hidden layer of D, in training only. Not where D has dropout of its own. */
  discriminatorDropout?: number;
}

export type { Downsampling, HiddenActivation, Normalization, OutputActivation, Upsampling };

/** The spec with the options applied: structure first (down/upsampling), then normalisation, activations, dropout. */
export function withArchitecture(spec: ModelSpec, o: ArchitectureOptions): ModelSpec {
  let generatorLayers: LayerSpec[] = spec.generatorLayers;
  let discriminatorLayers: LayerSpec[] = spec.discriminatorLayers;
  let pixelRange = spec.pixelRange;
  if (o.downsample !== undefined) discriminatorLayers = withDownsampling(discriminatorLayers, o.downsample);
  if (o.upsample !== undefined) generatorLayers = withUpsampling(generatorLayers, o.upsample);
  if (o.norm !== undefined) {
    const like = [...spec.generatorLayers, ...spec.discriminatorLayers].find((l) => l.kind === 'batch-norm');
    generatorLayers = withNormalization(generatorLayers, o.norm, 'generator', like);
    discriminatorLayers = withNormalization(discriminatorLayers, o.norm, 'discriminator', like);
  }
  if (o.activation !== undefined) {
    generatorLayers = withHiddenActivation(generatorLayers, o.activation, 'generator');
    discriminatorLayers = withHiddenActivation(discriminatorLayers, o.activation, 'discriminator');
  }
  if (o.output !== undefined) {
    generatorLayers = withOutputActivation(generatorLayers, o.output);
    pixelRange = o.output === 'tanh' ? 'minus-one-one' : 'zero-one';
  }
  if (o.generatorDropout !== undefined && o.generatorDropout > 0) generatorLayers = withGeneratorDropout(generatorLayers, o.generatorDropout);
  if (o.discriminatorDropout !== undefined && o.discriminatorDropout > 0) discriminatorLayers = withDiscriminatorDropout(discriminatorLayers, o.discriminatorDropout);
  return {
    ...spec,
    latentPrior: o.latentPrior ?? spec.latentPrior,
    pixelRange,
    generatorLayers,
    discriminatorLayers,
  };
}
