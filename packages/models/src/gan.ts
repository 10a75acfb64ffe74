import { Rng } from '@forger/core';
import type { Checkpoint, CheckpointTensor, ModelSpec } from '@forger/core';
import { Network } from './network/network.js';
import { ModelError } from './errors.js';
import { isConditional } from './acgan/conditioning.js';

/** Input shapes: G reads a latent vector (followed by the one-hot class when conditional), D reads one NHWC image. */
export function generatorInputShape(spec: ModelSpec): number[] {
  return [spec.latentDim + (isConditional(spec) ? spec.numClasses : 0)];
}

export function discriminatorInputShape(spec: ModelSpec): number[] {
  return [spec.image.height, spec.image.width, spec.image.channels];
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Proves from the spec alone that its networks can run and fit each other: every layer's output positive, one
 * sample's activations within MAX_ACTIVATION_BYTES_PER_SAMPLE, the generator's output exactly `spec.image` (a smaller
 * one would draw a garbage grid, a larger one overflow it), and a discriminator that outputs one vector of logits.
 * With tensors, also that they fit the layers and hold only finite values (Network.checkCheckpoint). Allocates no
 * tensor and needs no backend, so a page or a CLI can refuse a hostile file before starting anything. Throws
 * ModelError or CheckpointError whose `where` names the network and layer, e.g. `generator[3] "up" (upsample)`.
 */
export function checkModel(spec: ModelSpec, tensors?: { generator: CheckpointTensor[]; discriminator: CheckpointTensor[] }): void {
  if (spec.family !== 'classifier') {
    const input = generatorInputShape(spec);
    const output = tensors
      ? checkedOutput(spec.generatorLayers, input, 'generator', tensors.generator)
      : Network.outputShapeOf(spec.generatorLayers, input, 'generator');
    const image = discriminatorInputShape(spec);
    if (output.length !== 3 || output.some((d, i) => d !== image[i])) {
      throw new ModelError('bad-spec', `the generator outputs ${shapeText(output)} per sample but the spec's image is ${shapeText(image)} (height, width, channels): the layers and the image shape disagree`, { where: 'generator' });
    }
  }
  const needsDiscriminator = spec.family === 'classifier' || (tensors ? tensors.discriminator.length > 0 : spec.discriminatorLayers.length > 0);
  if (!needsDiscriminator) return;
  const input = discriminatorInputShape(spec);
  const output = tensors
    ? checkedOutput(spec.discriminatorLayers, input, 'discriminator', tensors.discriminator)
    : Network.outputShapeOf(spec.discriminatorLayers, input, 'discriminator');
  if (output.length !== 1) {
    throw new ModelError('bad-spec', `the discriminator outputs ${shapeText(output)} per image; it must output one vector of logits (end with a dense layer)`, { where: 'discriminator' });
  }
  if (spec.family === 'acgan' && output[0] !== spec.numClasses + 1) {
    throw new ModelError('bad-spec', `an acgan discriminator outputs ${spec.numClasses} class logits and one real/fake logit (${spec.numClasses + 1}), this one ${shapeText(output)}`, { where: 'discriminator' });
  }
}

/** checkModel for everything a checkpoint holds: its spec and its weights. */
export function checkModelCheckpoint(c: Checkpoint): void {
  checkModel(c.spec, { generator: c.generator, discriminator: c.discriminator });
}

function checkedOutput(layers: ModelSpec['generatorLayers'], input: number[], network: string, tensors: CheckpointTensor[]): number[] {
  Network.checkCheckpoint(layers, input, tensors, network);
  return Network.outputShapeOf(layers, input, network);
}

/** Fresh networks for `spec`; a seed gives identical weights (each network from its own derived stream). */
export function buildGan(spec: ModelSpec, seed: number): { generator: Network; discriminator: Network } {
  checkModel(spec);
  const rng = Rng.fromSeed(seed);
  return {
    generator: Network.create(spec.generatorLayers, generatorInputShape(spec), rng.derive('generator-init'), 'generator'),
    discriminator: Network.create(spec.discriminatorLayers, discriminatorInputShape(spec), rng.derive('discriminator-init'), 'discriminator'),
  };
}

/** Rebuilds the networks a checkpoint holds; a generator-only web export has no discriminator. */
export function ganFromCheckpoint(c: Checkpoint): { generator: Network; discriminator?: Network } {
  if (c.spec.family === 'classifier') {
    throw new ModelError('bad-spec', 'a classifier checkpoint has no generator: rebuild it with classifierFromCheckpoint');
  }
  // Spec only: Network.fromCheckpoint checks the tensors (and their values) as it reads them. A generator-only web
  // export keeps the discriminator's layers in its spec but has nothing to build from them.
  checkModel(c.discriminator.length > 0 ? c.spec : { ...c.spec, discriminatorLayers: [] });
  const generator = Network.fromCheckpoint(c.spec.generatorLayers, generatorInputShape(c.spec), c.generator, 'generator');
  if (c.discriminator.length === 0) return { generator };
  try {
    return { generator, discriminator: Network.fromCheckpoint(c.spec.discriminatorLayers, discriminatorInputShape(c.spec), c.discriminator, 'discriminator') };
  } catch (e) {
    generator.dispose();
    throw e;
  }
}

/** A fresh classifier (the discriminator network of `spec`, any family with classes). */
export function buildClassifier(spec: ModelSpec, seed: number): Network {
  return Network.create(spec.discriminatorLayers, discriminatorInputShape(spec), Rng.fromSeed(seed).derive('discriminator-init'), 'classifier');
}

/** The classifier of any checkpoint that has one: a classifier run, or a semi-supervised GAN's discriminator. */
export function classifierFromCheckpoint(c: Checkpoint): Network {
  if (c.discriminator.length === 0) throw new ModelError('missing-tensor', 'this checkpoint has no discriminator/classifier tensors (a generator-only export?)');
  checkModel({ ...c.spec, family: 'classifier' });
  return Network.fromCheckpoint(c.spec.discriminatorLayers, discriminatorInputShape(c.spec), c.discriminator, 'classifier');
}
