import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, Rng } from '@forger/core';
import type { Network } from '../network/network.js';
import { checkClassLabels, cyclingLabels, generatorInput, isConditional } from '../acgan/conditioning.js';
import { latentTensor, sampleLatent } from './latent.js';
import { checkFinitePixels, discriminatorScores, generate } from './sampling.js';

/**
 * The Rng stream (Rng.derive) of a generator's sampling-time dropout, beside a seed's latent stream: the sampler,
 * `forger generate` and `forger score` all derive it from their seed, so one seed gives the same images in each.
 */
export const GENERATOR_NOISE_STREAM = 'generator-noise';

/** One chunk of generated images, read back from the device. */
export interface GeneratedChunk {
  /** NHWC pixels in the spec's pixel range */
  images: Float32Array;
  /** D's realness of each image (discriminatorScores), when a discriminator was given */
  scores?: Float32Array;
  /** index of the chunk's first image */
  start: number;
  count: number;
}

export interface GenerateInChunksOptions {
  /** images per generator call: bounds device memory when thousands are drawn */
  chunkSize: number;
  /** also score each generated chunk with it, from the same tensor (ranking costs no second generator pass) */
  discriminator?: Network;
  /**
   * The noise of a generator that samples with dropout (Network.samplesWithNoise), drawn chunk by chunk; required for
   * one, unused otherwise. Kept apart from the latent stream so that z never depends on the chunk size.
   */
  noiseRng?: Rng;
  /**
   * Conditional (acgan) generators: the class of each image, one per latent vector. Without it image i draws class
   * i mod K, so every class shows. Given for an unconditional generator, or out of range: ModelError 'bad-input'.
   */
  labels?: ArrayLike<number>;
}

/**
 * G(z) chunk by chunk, in inference mode, each chunk read back before the next is drawn: what the browser sampler,
 * `forger generate` and `forger score` all do. `latent` is either the vectors already drawn (row-major
 * count × latentDim) or `{ count, rng }`, in which case each chunk's vectors are drawn from rng when it is made,
 * so that a long run never holds all of z at once. A chunk with a NaN or ±Inf pixel throws ModelError 'not-finite'.
 */
export async function* generateInChunks(
  generator: Network,
  spec: ModelSpec,
  latent: Float32Array | { count: number; rng: Rng },
  opts: GenerateInChunksOptions,
): AsyncGenerator<GeneratedChunk> {
  const dim = spec.latentDim;
  const count = latent instanceof Float32Array ? latent.length / dim : latent.count;
  checkClassLabels(spec, opts.labels, count);
  const conditional = isConditional(spec);
  for (let start = 0; start < count; start += opts.chunkSize) {
    const n = Math.min(opts.chunkSize, count - start);
    const z = latent instanceof Float32Array ? latent.subarray(start * dim, (start + n) * dim) : sampleLatent(spec, n, latent.rng);
    const { images, scores } = tf.tidy(() => {
      const classes = conditional ? (opts.labels ? Int32Array.from(Array.prototype.slice.call(opts.labels, start, start + n) as number[]) : cyclingLabels(spec, n, start)) : undefined;
      const input = classes ? generatorInput(spec, latentTensor(spec, z, n), classes) : latentTensor(spec, z, n);
      const g = generate(generator, input, opts.noiseRng);
      return { images: g, scores: opts.discriminator ? discriminatorScores(opts.discriminator, g, spec) : undefined };
    });
    try {
      // data() rather than dataSync(): WebGPU reads back asynchronously, without stalling a page
      const chunk: GeneratedChunk = { images: await images.data<'float32'>(), start, count: n };
      // finite weights can still overflow in an activation: a NaN image is an error, never a silent black one
      checkFinitePixels(chunk.images, `images ${start + 1}–${start + n}`);
      if (scores) chunk.scores = await scores.data<'float32'>();
      yield chunk;
    } finally {
      images.dispose();
      scores?.dispose();
    }
  }
}
