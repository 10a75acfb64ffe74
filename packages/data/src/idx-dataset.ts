import type { Dataset, Split } from './dataset.js';
import { assembleDataset, numericClassNames } from './dataset.js';
import { parseIdxImages, parseIdxLabels } from './idx.js';

export interface IdxPair {
  images: ArrayBuffer | Uint8Array;
  labels: ArrayBuffer | Uint8Array;
  /** Names for errors: the file paths or URLs the bytes came from. */
  imagesFile: string;
  labelsFile: string;
}

export interface IdxDatasetOptions {
  name: string;
  split: Split;
  /** Defaults to '0'…'n-1' where n is the largest label + 1. */
  classNames?: string[];
}

/**
 * A Dataset from an images idx3 (or idx4) and a labels idx1: how Fashion-MNIST,
 * EMNIST and KMNIST come in. Works on bytes, so the browser can use it on `fetch` results.
 */
export function datasetFromIdx(pair: IdxPair, options: IdxDatasetOptions): Dataset {
  const images = parseIdxImages(pair.images, pair.imagesFile);
  const labels = parseIdxLabels(pair.labels, pair.labelsFile);
  return assembleDataset({
    name: options.name,
    split: options.split,
    image: images.image,
    images: images.pixels,
    imageCount: images.count,
    imagesFile: pair.imagesFile,
    labels,
    labelsFile: pair.labelsFile,
    classNames: options.classNames ?? numericClassNames(labels),
  });
}
