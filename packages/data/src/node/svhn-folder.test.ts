import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { svhnMatFile, svhnPixel } from '../test-support/mat5-writer.js';
import { rejected } from '../test-support/thrown.js';
import { NAMED_DATASETS, isNamedDataset, loadDataset } from './load-dataset.js';
import { loadSvhnFolder } from './svhn-folder.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

describe("loadDataset('svhn')", () => {
  it('reads train_32x32.mat and test_32x32.mat (miCOMPRESSED, as distributed) from dataDir', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'train_32x32.mat'), svhnMatFile([1, 2, 0, 9, 5], { compressed: true }));
    await writeFile(join(dir, 'test_32x32.mat'), svhnMatFile([7, 0], { compressed: true, labelsAs: 'miUINT8' }));
    const train = await loadDataset('svhn', { split: 'train', dataDir: dir });
    expect({ name: train.name, split: train.split, count: train.count, image: train.image, numClasses: train.numClasses }).toEqual({
      name: 'svhn',
      split: 'train',
      count: 5,
      image: { height: 32, width: 32, channels: 3 },
      numClasses: 10,
    });
    expect(Array.from(train.labels)).toEqual([1, 2, 0, 9, 5]);
    expect(train.images[(4 * 1024 + 31 * 32 + 2) * 3 + 1]).toBe(svhnPixel(4, 31, 2, 1));
    const test = await loadDataset('svhn', { split: 'test', dataDir: dir });
    expect(Array.from(test.labels)).toEqual([7, 0]);
  });

  it('no dataDir, a missing folder, a missing file: what to put where', async () => {
    const noDir = await rejected(loadDataset('svhn', { split: 'train' }));
    expect(noDir.code).toBe('missing-folder');
    expect(noDir.expected).toContain('train_32x32.mat');
    const dir = await tempDir();
    expect((await rejected(loadDataset('svhn', { split: 'train', dataDir: join(dir, 'absent') }))).code).toBe('missing-folder');
    const noFile = await rejected(loadDataset('svhn', { split: 'test', dataDir: dir }));
    expect(noFile.code).toBe('missing-file');
    expect(noFile.file).toBe(join(dir, 'test_32x32.mat'));
  });

  it('a truncated download: a DataError naming the file', async () => {
    const dir = await tempDir();
    const whole = svhnMatFile([1, 2, 3], { compressed: true });
    await writeFile(join(dir, 'train_32x32.mat'), whole.subarray(0, whole.length - 100));
    const error = await rejected(loadDataset('svhn', { split: 'train', dataDir: dir }));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain(join(dir, 'train_32x32.mat'));
  });

  it('node:zlib stops at maxInflatedBytes: too-large', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'train_32x32.mat'), svhnMatFile([1, 2, 3], { compressed: true }));
    const error = await rejected(loadSvhnFolder(dir, 'train', { maxInflatedBytes: 4096 }));
    expect(error.code).toBe('too-large');
    expect(error.expected).toContain('4096 bytes');
  });

  it('svhn is one of the named datasets', () => {
    expect(NAMED_DATASETS).toEqual(['mnist', 'cifar10', 'svhn']);
    expect(isNamedDataset('svhn')).toBe(true);
    expect(isNamedDataset('train-images-idx3-ubyte')).toBe(false);
  });
});
