import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../idx.js';
import { toFloatBatch, toUint8Images } from '../normalize.js';
import { rejected } from '../test-support/thrown.js';
import { loadDataset } from './load-dataset.js';
import { readDataFile } from './read-data-file.js';
import { useTempDirs } from './test-support/temp-dir.js';
import { writeIdx } from './write-idx.js';

const tempDir = useTempDirs();

describe('writeIdx', () => {
  it('writes generated images and their labels as an IDX pair that loadDataset reads back', async () => {
    const dir = await tempDir();
    // 3 "generated" 2×2 images in [-1, 1], as a tanh generator returns them.
    const generated = Float32Array.of(-1, 1, 0, 0.5, -1, -1, -1, -1, 1, 1, 1, 1);
    const pixels = toUint8Images(generated, 'minus-one-one');
    await writeIdx(join(dir, 'samples-images-idx3-ubyte'), [3, 2, 2], pixels);
    await writeIdx(join(dir, 'samples-labels-idx1-ubyte'), [3], Uint8Array.of(7, 0, 1));
    const ds = await loadDataset(
      { images: 'samples-images-idx3-ubyte', labels: 'samples-labels-idx1-ubyte', name: 'samples' },
      { split: 'test', dataDir: dir },
    );
    expect(ds.count).toBe(3);
    expect(ds.numClasses).toBe(8);
    expect(Array.from(ds.images.subarray(0, 4))).toEqual([0, 255, 128, 191]);
    const back = toFloatBatch(ds.images, 'minus-one-one');
    back.forEach((v, i) => expect(Math.abs(v - generated[i]!)).toBeLessThan(1 / 127.5));
  });

  it('gzips when the path ends in .gz', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x-idx1-ubyte.gz');
    await writeIdx(path, [4], Uint8Array.of(1, 2, 3, 4));
    const raw = await readFile(path);
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    expect(parseIdx(await readDataFile(path), path).dims).toEqual([4]);
  });

  it('replaces an existing file whole and leaves no temporary file behind', async () => {
    const dir = await tempDir();
    const path = join(dir, 'labels-idx1-ubyte');
    await writeFile(path, 'an older, longer file that must not survive in part');
    await writeIdx(path, [2], Uint8Array.of(5, 6));
    expect(Array.from(await readFile(path))).toEqual([0, 0, 8, 1, 0, 0, 0, 2, 5, 6]);
    expect(await readdir(dir)).toEqual(['labels-idx1-ubyte']);
  });

  it('a folder that does not exist, and data that does not fill the dimensions', async () => {
    const dir = await tempDir();
    const path = join(dir, 'absent', 'images');
    const error = await rejected(writeIdx(path, [1], Uint8Array.of(1)));
    expect(error.code).toBe('missing-folder');
    expect(error.file).toBe(path);
    expect((await rejected(writeIdx(join(dir, 'y'), [2, 2], new Uint8Array(3)))).code).toBe('count-mismatch');
    expect(await readdir(dir)).toEqual([]);
  });
});
