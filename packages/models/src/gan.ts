import { Rng } from '@forger/core';
import type { Checkpoint, ModelSpec } from '@forger/core';
import { Network } from './network/network.js';
import { ModelError } from './errors.js';

/** Input shapes: G reads a latent vector, D reads one NHWC image. */
export function generatorInputShape(spec: ModelSpec): number[] {
  return [spec.latentDim];
}

export function discriminatorInputShape(spec: ModelSpec): number[] {
  return [spec.image.height, spec.image.width, spec.image.channels];
}

/** Fresh networks for `spec`; a seed gives identical weights (each network from its own derived stream). */
export function buildGan(spec: ModelSpec, seed: number): { generator: Network; discriminator: Network } {
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
  return Network.fromCheckpoint(c.spec.discriminatorLayers, discriminatorInputShape(c.spec), c.discriminator, 'classifier');
}
