import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import type { ModelSpec } from '@forger/core';
import { latentBatch } from '../training/latent.js';
import type { TrainBatch } from '../training/types.js';

/**
 * The batch of step `i`, a pure function of (seed, i): "real" images are
 * smooth blobs in the spec's pixel range, so that a resumed run sees exactly
 * the batches an uninterrupted one does.
 */
export function syntheticBatch(spec: ModelSpec, seed: number, i: number, size = 4): TrainBatch {
  const rng = Rng.fromSeed(seed).derive(`batch-${i}`);
  const { height, width, channels } = spec.image;
  const pixels = new Float32Array(size * height * width * channels);
  for (let n = 0; n < size; n++) {
    const cy = rng.uniform(0, height);
    const cx = rng.uniform(0, width);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++) {
          const v = Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 4);
          pixels[((n * height + y) * width + x) * channels + c] = spec.pixelRange === 'zero-one' ? v : 2 * v - 1;
        }
  }
  return {
    real: tf.tensor4d(pixels, [size, height, width, channels]),
    z: latentBatch(spec, size, rng),
  };
}

export function disposeBatch(b: TrainBatch): void {
  tf.dispose([b.real, b.z, ...[b.labels, b.fakeLabels, b.labeledReal].filter((t) => t !== undefined)]);
}

/** A conditional (acgan) batch of step `i`: syntheticBatch's six images, labelled 0, 1, 2, …, and the classes asked of z. */
export function conditionalBatch(spec: ModelSpec, seed: number, i: number): TrainBatch {
  return { ...syntheticBatch(spec, seed, i, 6), labels: tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), fakeLabels: tf.tensor1d([2, 2, 1, 1, 0, 0], 'int32') };
}

/**
 * A semi-supervised batch of step `i`: class c is a blob centred at a
 * class-specific place (plus jitter), so a classifier can learn it in a few
 * steps. `labeledReal`/`labels` and the unlabeled `real` come from the same
 * distribution.
 */
export function labeledBatch(spec: ModelSpec, seed: number, i: number, size = 6): TrainBatch {
  const rng = Rng.fromSeed(seed).derive(`labeled-${i}`);
  const { height, width, channels } = spec.image;
  const draw = (count: number): { pixels: Float32Array; labels: Int32Array } => {
    const pixels = new Float32Array(count * height * width * channels);
    const labels = new Int32Array(count);
    for (let n = 0; n < count; n++) {
      const c = rng.int(spec.numClasses);
      labels[n] = c;
      const cx = ((c + 0.5) / spec.numClasses) * width + rng.uniform(-0.5, 0.5);
      const cy = height / 2 + rng.uniform(-0.5, 0.5);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          for (let ch = 0; ch < channels; ch++) {
            const v = Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 2);
            pixels[((n * height + y) * width + x) * channels + ch] = spec.pixelRange === 'zero-one' ? v : 2 * v - 1;
          }
    }
    return { pixels, labels };
  };
  const labeled = draw(size);
  const unlabeled = draw(size);
  return {
    real: tf.tensor4d(unlabeled.pixels, [size, height, width, channels]),
    labeledReal: tf.tensor4d(labeled.pixels, [size, height, width, channels]),
    labels: tf.tensor1d(labeled.labels, 'int32'),
    z: latentBatch(spec, size, rng),
  };
}
