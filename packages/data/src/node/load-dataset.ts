import { basename, resolve } from 'node:path';
import { DataError } from '../data-error.js';
import type { Dataset, Split } from '../dataset.js';
import { datasetFromIdx } from '../idx-dataset.js';
import { loadCifar10Folder } from './cifar10-folder.js';
import { loadEmbeddedMnist } from './embedded-mnist.js';
import { readDataFile } from './read-data-file.js';
import { loadSvhnFolder } from './svhn-folder.js';

/** An IDX pair on disk (plain or gzipped): Fashion-MNIST, EMNIST, KMNIST, or images written by `writeIdx`. */
export interface IdxFiles {
  /** idx3 (or idx4) images; relative paths resolve against `dataDir`, else the working directory. */
  images: string;
  /** idx1 labels. */
  labels: string;
  /** The dataset's name in saved positions and provenance. Default `idx:<images file name>`. */
  name?: string;
  /** Default '0'…'n-1', n = the largest label + 1. */
  classNames?: string[];
}

/** The datasets `loadDataset` knows by name: MNIST is embedded, the others are read from `dataDir`. */
export const NAMED_DATASETS = ['mnist', 'cifar10', 'svhn'] as const;
export type NamedDataset = (typeof NAMED_DATASETS)[number];

export function isNamedDataset(name: string): name is NamedDataset {
  return (NAMED_DATASETS as readonly string[]).includes(name);
}

export type DatasetSource = NamedDataset | IdxFiles;

export interface LoadDatasetOptions {
  split: Split;
  /**
   * CIFAR-10: the folder holding the .bin files (or cifar-10-batches-bin/). SVHN: the folder holding
   * train_32x32.mat and test_32x32.mat. IDX pair: the base of relative paths.
   */
  dataDir?: string;
  /** CIFAR-10: records each batch file must hold; 10,000 in the official files. */
  cifar10RecordsPerFile?: number;
}

/** The one way training code gets data: a name or an IDX pair → a checked, complete Dataset. */
export async function loadDataset(source: DatasetSource, options: LoadDatasetOptions): Promise<Dataset> {
  const { split } = options;
  if (split !== 'train' && split !== 'test') {
    throw new DataError('bad-option', 'unknown split', { expected: "'train' or 'test'", found: String(split) });
  }
  if (source === 'mnist') return loadEmbeddedMnist(split);
  if (source === 'cifar10') {
    if (options.dataDir === undefined) {
      throw new DataError('missing-folder', 'CIFAR-10 is not embedded: say where its binary files are', {
        expected: 'options.dataDir: a folder with data_batch_1.bin … data_batch_5.bin and test_batch.bin',
        found: 'no dataDir',
      });
    }
    return loadCifar10Folder(resolve(options.dataDir), split, options.cifar10RecordsPerFile);
  }
  if (source === 'svhn') {
    if (options.dataDir === undefined) {
      throw new DataError('missing-folder', 'SVHN is not embedded: say where its .mat files are', {
        expected: 'options.dataDir: a folder with train_32x32.mat and test_32x32.mat (cropped digits, format 2)',
        found: 'no dataDir',
      });
    }
    return loadSvhnFolder(resolve(options.dataDir), split);
  }
  if (typeof source === 'object' && source !== null && typeof source.images === 'string' && typeof source.labels === 'string') {
    return loadIdxFiles(source, split, options.dataDir);
  }
  throw new DataError('bad-option', 'unknown dataset', {
    expected: `${NAMED_DATASETS.map((n) => `'${n}'`).join(', ')} or { images, labels } paths of an IDX pair`,
    found: typeof source === 'string' ? `'${source}'` : JSON.stringify(source),
  });
}

async function loadIdxFiles(files: IdxFiles, split: Split, dataDir: string | undefined): Promise<Dataset> {
  const base = dataDir ?? process.cwd();
  const imagesFile = resolve(base, files.images);
  const labelsFile = resolve(base, files.labels);
  const [images, labels] = await Promise.all([readDataFile(imagesFile), readDataFile(labelsFile)]);
  return datasetFromIdx(
    { images, labels, imagesFile, labelsFile },
    {
      name: files.name ?? `idx:${basename(imagesFile)}`,
      split,
      ...(files.classNames !== undefined ? { classNames: files.classNames } : {}),
    },
  );
}
