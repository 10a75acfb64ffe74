import { Rng, type ModelSpec } from '@forger/core';
import { toUint8Images } from '@forger/data';
import { GENERATOR_NOISE_STREAM, cyclingLabels, generateInChunks, isConditional, type Network } from '@forger/models';
import type { ImageBytes } from './image-set-score.js';

/**
 * `count` samples of a generator in batches, as the bytes a saved sample would hold. The latent vectors come from
 * the spec's prior seeded by `seed`, so a score is reproducible. A conditional generator draws image i as class
 * i mod K (every class equally often, as the reference's test set nearly is) and each batch says which it asked for.
 */
export async function* generatedImages(generator: Network, spec: ModelSpec, opts: { count: number; seed: number; batchSize: number }): AsyncGenerator<ImageBytes> {
  const latent = { count: opts.count, rng: Rng.fromSeed(opts.seed) };
  const noiseRng = Rng.fromSeed(opts.seed).derive(GENERATOR_NOISE_STREAM);
  for await (const chunk of generateInChunks(generator, spec, latent, { chunkSize: opts.batchSize, noiseRng })) {
    const bytes = toUint8Images(chunk.images, spec.pixelRange);
    // generateInChunks' own default classes for a conditional spec: (start + i) mod K
    yield isConditional(spec) ? { bytes, count: chunk.count, labels: cyclingLabels(spec, chunk.count, chunk.start) } : { bytes, count: chunk.count };
  }
}

/** The images of a byte array (`count × imageSize`), in order, in batches. */
export function* imageBatches(bytes: Uint8Array, count: number, imageSize: number, batchSize: number): Generator<ImageBytes> {
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    yield { bytes: bytes.subarray(start * imageSize, (start + n) * imageSize), count: n };
  }
}
