import type { ImageShape } from '@forger/core';
import { DataError } from './data-error.js';

export type Split = 'train' | 'test';

/**
 * A labelled image set held as bytes. Images stay `Uint8Array` (0..255, NHWC)
 * because a float32 copy of MNIST train is 188 MB against 47 MB; batches are
 * converted on the way to the model (see `toFloatBatch`).
 */
export interface Dataset {
  /** 'mnist', 'cifar10', or the name given to an IDX pair; a saved `DataPosition` must name the same. */
  name: string;
  split: Split;
  count: number;
  image: ImageShape;
  numClasses: number;
  classNames: string[];
  /** count × height × width × channels bytes, NHWC, 0..255. */
  images: Uint8Array;
  /** count bytes, each in 0..numClasses-1. */
  labels: Uint8Array;
}

/** Bytes of one image: height × width × channels. */
export function imageByteLength(image: ImageShape): number {
  return image.height * image.width * image.channels;
}

/** The bytes of image `index`, a view into the dataset (no copy). */
export function imageAt(ds: Dataset, index: number): Uint8Array {
  const size = imageByteLength(ds.image);
  return ds.images.subarray(index * size, (index + 1) * size);
}

/** The first `limit` examples (all of them when there are fewer), as views into the dataset: a quick look at a split. */
export function firstExamples(ds: Dataset, limit: number): Dataset {
  const count = Math.min(limit, ds.count);
  return { ...ds, count, images: ds.images.subarray(0, count * imageByteLength(ds.image)), labels: ds.labels.subarray(0, count) };
}

/** How many examples of each class: the first thing to check on a new dataset. */
export function classHistogram(ds: Pick<Dataset, 'labels' | 'numClasses'>, indices?: Uint32Array): number[] {
  const counts = new Array<number>(ds.numClasses).fill(0);
  const n = indices === undefined ? ds.labels.length : indices.length;
  for (let i = 0; i < n; i++) {
    const label = ds.labels[indices === undefined ? i : indices[i]!]!;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

/**
 * Builds a Dataset after checking that images and labels agree: every parser
 * ends here, so no path can produce a silent partial dataset.
 * `labelsFile` names the labels in errors.
 */
export function assembleDataset(parts: {
  name: string;
  split: Split;
  image: ImageShape;
  images: Uint8Array;
  imageCount: number;
  imagesFile: string;
  labels: Uint8Array;
  labelsFile: string;
  classNames: string[];
}): Dataset {
  const { image, images, imageCount, labels, classNames } = parts;
  if (imageCount === 0) {
    throw new DataError('count-mismatch', 'the dataset holds no images', {
      file: parts.imagesFile,
      expected: 'at least 1 image',
      found: '0 images',
    });
  }
  if (labels.length !== imageCount) {
    throw new DataError('count-mismatch', 'images and labels disagree on the number of examples', {
      file: parts.labelsFile,
      expected: `${imageCount} labels (one per image in ${parts.imagesFile})`,
      found: `${labels.length} labels`,
    });
  }
  if (images.length !== imageCount * imageByteLength(image)) {
    throw new DataError('count-mismatch', 'the pixel data does not match the image count and shape', {
      file: parts.imagesFile,
      expected: `${imageCount * imageByteLength(image)} bytes (${imageCount} × ${image.height}×${image.width}×${image.channels})`,
      found: `${images.length} bytes`,
    });
  }
  const numClasses = classNames.length;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= numClasses) {
      throw new DataError('bad-label', `label of example ${i} is outside the ${numClasses} classes`, {
        file: parts.labelsFile,
        expected: `labels in 0..${numClasses - 1}`,
        found: `${labels[i]}`,
      });
    }
  }
  return { name: parts.name, split: parts.split, count: imageCount, image, numClasses, classNames, images, labels };
}

/** Class names '0'…'n-1' for an IDX pair that comes without names: n = the largest label + 1. */
export function numericClassNames(labels: Uint8Array): string[] {
  let largest = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > largest) largest = labels[i]!;
  return Array.from({ length: largest + 1 }, (_, c) => String(c));
}

/** 0, 1, …, n−1: every example of a dataset. */
export function allIndices(n: number): Uint32Array {
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return indices;
}

/** How errors and logs name a dataset in memory: `mnist/train`. */
export function datasetLabel(ds: Pick<Dataset, 'name' | 'split'>): string {
  return `${ds.name}/${ds.split}`;
}

/** A DataError unless every index names an example of `ds`. */
export function checkIndices(ds: Dataset, indices: Uint32Array): void {
  for (let i = 0; i < indices.length; i++) {
    if (indices[i]! >= ds.count) {
      throw new DataError('bad-option', `indices[${i}] is past the end of the dataset`, {
        dataset: datasetLabel(ds),
        expected: `indices in 0..${ds.count - 1}`,
        found: String(indices[i]),
      });
    }
  }
}
