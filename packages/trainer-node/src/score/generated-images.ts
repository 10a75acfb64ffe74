import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ModelSpec } from '@forger/core';
import { toUint8Images } from '@forger/data';
import { generate, sampleLatent, type Network } from '@forger/models';
import type { ImageBytes } from './image-set-score.js';

/**
 * `count` samples of a generator in batches, as the bytes a saved sample would hold. The latent vectors come from
 * the spec's prior seeded by `seed`, so a score is reproducible.
 */
export async function* generatedImages(generator: Network, spec: ModelSpec, opts: { count: number; seed: number; batchSize: number }): AsyncGenerator<ImageBytes> {
  const rng = Rng.fromSeed(opts.seed);
  for (let done = 0; done < opts.count; done += opts.batchSize) {
    const n = Math.min(opts.batchSize, opts.count - done);
    const images = tf.tidy(() => generate(generator, tf.tensor2d(sampleLatent(spec, n, rng), [n, spec.latentDim])));
    try {
      yield { bytes: toUint8Images((await images.data()) as Float32Array, spec.pixelRange), count: n };
    } finally {
      images.dispose();
    }
  }
}

/** The images of a byte array (`count × imageSize`), in order, in batches. */
export function* imageBatches(bytes: Uint8Array, count: number, imageSize: number, batchSize: number): Generator<ImageBytes> {
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    yield { bytes: bytes.subarray(start * imageSize, (start + n) * imageSize), count: n };
  }
}
