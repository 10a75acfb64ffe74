import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES } from '../cifar10.js';
import { encodeIdx } from '../idx.js';
import { rejected } from '../test-support/thrown.js';
import { loadDataset } from './load-dataset.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

/** n 4×4 images, image i filled with 10·i, labels i mod 3. */
function smallIdxPair(n: number): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(n * 16);
  for (let i = 0; i < n; i++) pixels.fill(10 * i, i * 16, (i + 1) * 16);
  return {
    images: encodeIdx([n, 4, 4], pixels),
    labels: encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 3)),
  };
}

async function writePair(dir: string, n: number, gz = false): Promise<{ images: string; labels: string }> {
  const pair = smallIdxPair(n);
  const suffix = gz ? '.gz' : '';
  const images = join(dir, `train-images-idx3-ubyte${suffix}`);
  const labels = join(dir, `train-labels-idx1-ubyte${suffix}`);
  await writeFile(images, gz ? gzipSync(pair.images) : pair.images);
  await writeFile(labels, gz ? gzipSync(pair.labels) : pair.labels);
  return { images, labels };
}

describe('loadDataset: an IDX pair', () => {
  it('loads images and labels, with numeric class names from the labels', async () => {
    const dir = await tempDir();
    const files = await writePair(dir, 7);
    const ds = await loadDataset(files, { split: 'train' });
    expect(ds.count).toBe(7);
    expect(ds.image).toEqual({ height: 4, width: 4, channels: 1 });
    expect(ds.numClasses).toBe(3);
    expect(ds.classNames).toEqual(['0', '1', '2']);
    expect(ds.images[5 * 16]).toBe(50);
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(ds.name).toBe('idx:train-images-idx3-ubyte');
  });

  it('reads gzipped files, resolves relative paths against dataDir, and takes a name and class names', async () => {
    const dir = await tempDir();
    await writePair(dir, 5, true);
    const ds = await loadDataset(
      { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz', name: 'tiny', classNames: ['a', 'b', 'c', 'd'] },
      { split: 'test', dataDir: dir },
    );
    expect(ds.name).toBe('tiny');
    expect(ds.split).toBe('test');
    expect(ds.count).toBe(5);
    expect(ds.numClasses).toBe(4);
    expect(ds.images[4 * 16 + 15]).toBe(40);
  });

  it('image/label count mismatch: names the labels file and both counts', async () => {
    const dir = await tempDir();
    const images = join(dir, 'images');
    const labels = join(dir, 'labels');
    await writeFile(images, smallIdxPair(6).images);
    await writeFile(labels, smallIdxPair(5).labels);
    const error = await rejected(loadDataset({ images, labels }, { split: 'train' }));
    expect(error.code).toBe('count-mismatch');
    expect(error.file).toBe(labels);
    expect(error.expected).toContain('6 labels');
    expect(error.found).toBe('5 labels');
    expect(error.message).toContain(labels);
  });

  it('wrong magic number: images and labels swapped', async () => {
    const dir = await tempDir();
    const files = await writePair(dir, 3);
    const error = await rejected(loadDataset({ images: files.labels, labels: files.images }, { split: 'train' }));
    expect(error.code).toBe('bad-magic');
    expect(error.file).toBe(files.labels);
  });

  it('truncated file', async () => {
    const dir = await tempDir();
    const files = await writePair(dir, 3);
    const images = smallIdxPair(3).images;
    await writeFile(files.images, images.subarray(0, images.length - 7));
    const error = await rejected(loadDataset(files, { split: 'train' }));
    expect(error.code).toBe('truncated');
    expect(error.file).toBe(files.images);
    expect(error.found).toBe(`${images.length - 7} bytes`);
  });

  it('truncated gzip download', async () => {
    const dir = await tempDir();
    const files = await writePair(dir, 30, true);
    const gz = gzipSync(smallIdxPair(30).images);
    await writeFile(files.images, gz.subarray(0, gz.length - 20));
    const error = await rejected(loadDataset(files, { split: 'train' }));
    expect(error.code).toBe('bad-gzip');
    expect(error.file).toBe(files.images);
  });

  it('missing file and missing folder', async () => {
    const dir = await tempDir();
    const files = await writePair(dir, 3);
    const missing = join(dir, 'nope-labels');
    const noFile = await rejected(loadDataset({ images: files.images, labels: missing }, { split: 'train' }));
    expect(noFile.code).toBe('missing-file');
    expect(noFile.file).toBe(missing);
    const inMissingFolder = join(dir, 'no-such-folder', 'images');
    const noFolder = await rejected(loadDataset({ images: inMissingFolder, labels: files.labels }, { split: 'train' }));
    expect(noFolder.code).toBe('missing-folder');
    expect(noFolder.file).toBe(inMissingFolder);
  });

  it('a label outside the given class names', async () => {
    const dir = await tempDir();
    const files = await writePair(dir, 4);
    const error = await rejected(loadDataset({ ...files, classNames: ['a', 'b'] }, { split: 'train' }));
    expect(error.code).toBe('bad-label');
    expect(error.file).toBe(files.labels);
  });

  it('an unknown dataset name or split', async () => {
    const error = await rejected(loadDataset('fashion' as 'mnist', { split: 'train' }));
    expect(error.code).toBe('bad-option');
    expect(error.found).toBe("'fashion'");
    expect((await rejected(loadDataset('mnist', { split: 'validation' as 'train' }))).code).toBe('bad-option');
  });
});

/** A CIFAR-10 batch of `labels.length` records; pixel bytes are (record + plane) mod 256. */
function cifarBatch(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, r) => {
    const start = r * CIFAR10_RECORD_BYTES;
    bytes[start] = label;
    for (let c = 0; c < 3; c++) bytes.fill((r + c) % 256, start + 1 + c * 1024, start + 1 + (c + 1) * 1024);
  });
  return bytes;
}

async function writeCifarFolder(folder: string, recordsPerFile: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let b = 1; b <= 5; b++) {
    await writeFile(join(folder, `data_batch_${b}.bin`), cifarBatch(Array.from({ length: recordsPerFile }, () => b)));
  }
  await writeFile(join(folder, 'test_batch.bin'), cifarBatch(Array.from({ length: recordsPerFile }, (_, r) => r % 10)));
}

describe('loadDataset: CIFAR-10', () => {
  it('joins data_batch_1..5 for train and reads test_batch for test, as 32×32×3 NHWC', async () => {
    const dir = await tempDir();
    await writeCifarFolder(dir, 4);
    const train = await loadDataset('cifar10', { split: 'train', dataDir: dir, cifar10RecordsPerFile: 4 });
    expect(train.count).toBe(20);
    expect(train.image).toEqual({ height: 32, width: 32, channels: 3 });
    expect(Array.from(train.labels)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
    expect(train.classNames[1]).toBe('automobile');
    // record 2 of a file: R = 2, G = 3, B = 4 at every pixel
    const pixel = (6 * 1024 + 100) * 3;
    expect(Array.from(train.images.subarray(pixel, pixel + 3))).toEqual([2, 3, 4]);
    const test = await loadDataset('cifar10', { split: 'test', dataDir: dir, cifar10RecordsPerFile: 4 });
    expect(test.count).toBe(4);
    expect(test.split).toBe('test');
  });

  it('finds the files inside cifar-10-batches-bin/ (the archive extracted in dataDir)', async () => {
    const dir = await tempDir();
    await writeCifarFolder(join(dir, 'cifar-10-batches-bin'), 2);
    const ds = await loadDataset('cifar10', { split: 'train', dataDir: dir, cifar10RecordsPerFile: 2 });
    expect(ds.count).toBe(10);
  });

  it('by default expects the official 10,000 records per file, so a short file is an error', async () => {
    const dir = await tempDir();
    await writeCifarFolder(dir, 2);
    const error = await rejected(loadDataset('cifar10', { split: 'test', dataDir: dir }));
    expect(error.code).toBe('count-mismatch');
    expect(error.file).toBe(join(dir, 'test_batch.bin'));
    expect(error.expected).toContain('10000 records');
  });

  it('wrong record size in one of the files', async () => {
    const dir = await tempDir();
    await writeCifarFolder(dir, 2);
    await writeFile(join(dir, 'data_batch_4.bin'), cifarBatch([1, 2]).subarray(0, 3073 + 3000));
    const error = await rejected(loadDataset('cifar10', { split: 'train', dataDir: dir, cifar10RecordsPerFile: 2 }));
    expect(error.code).toBe('record-size');
    expect(error.file).toBe(join(dir, 'data_batch_4.bin'));
  });

  it('a missing batch file, a missing folder, no dataDir', async () => {
    const dir = await tempDir();
    await writeCifarFolder(dir, 2);
    await rm(join(dir, 'data_batch_3.bin'));
    const noFile = await rejected(loadDataset('cifar10', { split: 'train', dataDir: dir, cifar10RecordsPerFile: 2 }));
    expect(noFile.code).toBe('missing-file');
    expect(noFile.file).toBe(join(dir, 'data_batch_3.bin'));

    const empty = await tempDir();
    const noneThere = await rejected(loadDataset('cifar10', { split: 'test', dataDir: empty }));
    expect(noneThere.code).toBe('missing-file');
    expect(noneThere.expected).toContain('cifar-10-batches-bin');

    const noFolder = await rejected(loadDataset('cifar10', { split: 'train', dataDir: join(dir, 'absent') }));
    expect(noFolder.code).toBe('missing-folder');
    expect(noFolder.file).toBe(join(dir, 'absent'));

    expect((await rejected(loadDataset('cifar10', { split: 'train' }))).code).toBe('missing-folder');
  });
});
