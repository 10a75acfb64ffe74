import { basename, dirname, join } from 'node:path';
import { type DatasetSource, isNamedDataset } from '@forger/data/node';
import { RunError } from './run-error.js';

/**
 * `--dataset` → what @forger/data loads. An IDX images path finds its labels beside it by the MNIST naming rule
 * (train-images-idx3-ubyte → train-labels-idx1-ubyte, also for .gz), which Fashion-MNIST, KMNIST and EMNIST follow.
 */
export function datasetSource(dataset: string): DatasetSource {
  if (isNamedDataset(dataset)) return dataset; // mnist, cifar10, svhn: @forger/data's NAMED_DATASETS
  return { images: dataset, labels: labelsPathFor(dataset) };
}

export function labelsPathFor(imagesPath: string): string {
  const name = basename(imagesPath);
  const labels = name.replace('images', 'labels').replace('idx3', 'idx1').replace('idx4', 'idx1');
  if (labels === name) {
    throw new RunError('bad-data', `--dataset ${imagesPath}: cannot find its labels: an IDX images file is named like "train-images-idx3-ubyte" so that its labels are "train-labels-idx1-ubyte" beside it`, { where: imagesPath }
    );
  }
  return join(dirname(imagesPath), labels);
}
