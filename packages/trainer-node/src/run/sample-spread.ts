import type { PixelRange } from '@forger/core';
import { imageByteLength, type Dataset } from '@forger/data';

/**
 * The collapse statistic of the training-health monitor: the mean Euclidean distance between every pair of a set of
 * images, pixels in [0, 1]. A generator that draws one image for every z has a spread near 0; varied samples come
 * near the real images' (MNIST: about 9.9 for 64 digits). On the 64 fixed-noise samples of a grid it costs
 * 2,016 pairs × the pixels (1.6 M multiply-adds for 28×28: 16–24 ms on the loaded 2-core machine; 80 ms for
 * 32×32×3) once per --sample-every steps, never per step.
 */
export function meanPairwiseDistance(images: ArrayLike<number>, count: number, toUnit: (value: number) => number = (v) => v): number {
  if (count < 2) throw new RangeError(`meanPairwiseDistance: needs at least 2 images, got ${count}`);
  const size = images.length / count;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`meanPairwiseDistance: ${images.length} values are not ${count} images`);
  const unit = new Float32Array(images.length);
  for (let k = 0; k < images.length; k++) unit[k] = toUnit(images[k]!);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const a = i * size;
    for (let j = i + 1; j < count; j++) {
      const b = j * size;
      let squared = 0;
      for (let k = 0; k < size; k++) {
        const d = unit[a + k]! - unit[b + k]!;
        squared += d * d;
      }
      sum += Math.sqrt(squared);
    }
  }
  return sum / ((count * (count - 1)) / 2);
}

/** Generated values in the spec's pixel range → [0, 1], the scale the real images' spread is measured in. */
export function unitScale(range: PixelRange): (value: number) => number {
  return range === 'minus-one-one' ? (v) => (v + 1) / 2 : (v) => v;
}

/**
 * The reference: the spread of `count` real training images spread evenly over the set (index i·⌊n/count⌋, the
 * same images for every run on the dataset), measured once when a run starts; 0 for a dataset of one image.
 */
export function realSpread(dataset: Dataset, count: number): number {
  const n = Math.min(count, dataset.count);
  // one image has no spread to compare with: the run logs no sample_spread (training-health.ts)
  if (n < 2) return 0;
  const size = imageByteLength(dataset.image);
  const stride = Math.floor(dataset.count / n);
  const bytes = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) bytes.set(dataset.images.subarray(i * stride * size, (i * stride + 1) * size), i * size);
  return meanPairwiseDistance(bytes, n, (v) => v / 255);
}
