// '@forger/data/node': reading and writing data files. Node only.
export {
  type DatasetSource,
  type IdxFiles,
  type LoadDatasetOptions,
  type NamedDataset,
  NAMED_DATASETS,
  isNamedDataset,
  loadDataset,
} from './load-dataset.js';
export { writeIdx } from './write-idx.js';
export { embeddedMnistFiles, embeddedMnistFolder, loadEmbeddedMnist } from './embedded-mnist.js';
export { CIFAR10_ARCHIVE_FOLDER, findCifar10Folder, loadCifar10Folder } from './cifar10-folder.js';
export { inflateMat5, loadSvhnFolder } from './svhn-folder.js';
export { readDataFile } from './read-data-file.js';
