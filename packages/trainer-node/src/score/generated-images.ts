import { Rng, type ModelSpec } from '@forger/core';
import { toUint8Images } from '@forger/data';
import { GENERATOR_NOISE_STREAM, generateInChunks, type Network } from '@forger/models';
import type { ImageBytes } from './image-set-score.js';

/**
 * `count` samples of a generator in batches, as the bytes a saved sample would hold. The latent vectors come from
 * the spec's prior seeded by `seed`, so a score is reproducible.
 */
export async function* generatedImages(generator: Network, spec: ModelSpec, opts: { count: number; seed: number; batchSize: number }): AsyncGenerator<ImageBytes> {
  const latent = { count: opts.count, rng: Rng.fromSeed(opts.seed) };
  const noiseRng = Rng.fromSeed(opts.seed).derive(GENERATOR_NOISE_STREAM);
  for await (const chunk of generateInChunks(generator, spec, latent, { chunkSize: opts.batchSize, noiseRng })) {
    yield { bytes: toUint8Images(chunk.images, spec.pixelRange), count: chunk.count };
  }
}

/** The images of a byte array (`count × imageSize`), in order, in batches. */
export function* imageBatches(bytes: Uint8Array, count: number, imageSize: number, batchSize: number): Generator<ImageBytes> {
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    yield { bytes: bytes.subarray(start * imageSize, (start + n) * imageSize), count: n };
  }
}
