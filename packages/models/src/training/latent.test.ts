import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { buildGan } from '../gan.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { tinyDcganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';
import { generateInChunks } from './generate-in-chunks.js';
import { DEFAULT_LATENT_DIM, latentBatch, sampleLatent } from './latent.js';
import { discriminatorScores, generate } from './sampling.js';
import { vanillaSpec } from '../vanilla/vanilla-spec.js';

beforeAll(useCpuBackend);

describe('latent helpers', () => {
  it('latentBatch is the tensor of the values sampleLatent draws for the same rng', () => {
    const spec = tinyVanillaSpec();
    const z = latentBatch(spec, 7, Rng.fromSeed(3));
    expect(z.shape).toEqual([7, spec.latentDim]);
    expect(Array.from(z.dataSync())).toEqual(Array.from(sampleLatent(spec, 7, Rng.fromSeed(3))));
    z.dispose();
  });

  it('the latent default is 100, and a spec without one takes it', () => {
    expect(DEFAULT_LATENT_DIM).toBe(100);
    expect(vanillaSpec().latentDim).toBe(DEFAULT_LATENT_DIM);
  });

  it('generateInChunks gives the images of one generator call, in order, whatever the chunk size', async () => {
    const spec = tinyDcganSpec();
    const { generator, discriminator } = buildGan(spec, 1);
    const z = sampleLatent(spec, 10, Rng.fromSeed(5));
    const whole = tf.tidy(() => generate(generator, tf.tensor2d(z, [10, spec.latentDim])));
    const wholeScores = tf.tidy(() => discriminatorScores(discriminator, whole, spec));
    const images: number[] = [];
    const scores: number[] = [];
    const starts: number[] = [];
    for await (const chunk of generateInChunks(generator, spec, z, { chunkSize: 4, discriminator })) {
      starts.push(chunk.start);
      images.push(...chunk.images);
      scores.push(...chunk.scores!);
    }
    expect(starts).toEqual([0, 4, 8]);
    const expected = Array.from(whole.dataSync());
    expect(images.length).toBe(expected.length);
    images.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    Array.from(wholeScores.dataSync()).forEach((v, i) => expect(scores[i]).toBeCloseTo(v, 5));
    tf.dispose([whole, wholeScores]);
    generator.dispose();
    discriminator.dispose();
  });

  it('generateInChunks with { count, rng } draws each chunk from the rng as it goes: the same z as drawing them one chunk at a time', async () => {
    const spec = tinyVanillaSpec();
    const { generator, discriminator } = buildGan(spec, 2);
    const rng = Rng.fromSeed(9);
    const byHand: number[] = [];
    for (const n of [3, 3, 1]) {
      const g = tf.tidy(() => generate(generator, latentBatch(spec, n, rng)));
      byHand.push(...g.dataSync());
      g.dispose();
    }
    const chunked: number[] = [];
    for await (const chunk of generateInChunks(generator, spec, { count: 7, rng: Rng.fromSeed(9) }, { chunkSize: 3 })) chunked.push(...chunk.images);
    expect(chunked).toEqual(byHand);
    generator.dispose();
    discriminator.dispose();
  });
});
