// '@forger/data': browser-safe. Parsing works on ArrayBuffer/Uint8Array; reading
// files lives in '@forger/data/node'.
export { DataError, type DataErrorCode, type DataErrorDetails } from './data-error.js';
export {
  type Dataset,
  type Split,
  allIndices,
  assembleDataset,
  checkIndices,
  datasetLabel,
  firstExamples,
  classHistogram,
  imageAt,
  imageByteLength,
  numericClassNames,
} from './dataset.js';
export {
  IDX1_UBYTE_MAGIC,
  IDX3_UBYTE_MAGIC,
  IDX4_UBYTE_MAGIC,
  IDX_UNSIGNED_BYTE,
  type IdxImages,
  type IdxTensor,
  encodeIdx,
  formatMagic,
  parseIdx,
  parseIdxImages,
  parseIdxLabels,
} from './idx.js';
export { type IdxDatasetOptions, type IdxPair, datasetFromIdx } from './idx-dataset.js';
export { MNIST_CLASS_NAMES, MNIST_COUNTS, MNIST_FILES, MNIST_IMAGE_SIZE, mnistFromIdx } from './mnist.js';
export { FASHION_MNIST_CLASS_NAMES } from './fashion-mnist.js';
export {
  CIFAR10_CLASS_NAMES,
  CIFAR10_FILES,
  CIFAR10_IMAGE,
  CIFAR10_RECORDS_PER_FILE,
  CIFAR10_RECORD_BYTES,
  type Cifar10Batch,
  allocateCifar10Split,
  checkCifar10FileSize,
  cifar10Dataset,
  cifar10FromBatches,
  cifar10RecordCount,
  decodeCifar10Records,
  parseCifar10Batch,
} from './cifar10.js';
export {
  MAT5_CLASSES,
  MAT5_DEFAULT_MAX_INFLATED_BYTES,
  MAT5_HEADER_BYTES,
  MAT5_TYPES,
  type Mat5Array,
  type Mat5ClassName,
  type Mat5NumericData,
  type Mat5ReadOptions,
  mat5Numbers,
  readMat5,
  readMat5Header,
} from './mat5.js';
export { SVHN_CLASS_NAMES, SVHN_COUNTS, SVHN_FILES, SVHN_IMAGE, svhnFromMat } from './svhn.js';
export { type Batch, BatchIterator, type BatchIteratorOptions, batchesPerEpoch } from './batch-iterator.js';
export { toFloatBatch, toUint8Images } from './normalize.js';
export { type LabeledSubset, type LabeledSubsetOptions, classQuotas, labeledSubset } from './labeled-subset.js';
