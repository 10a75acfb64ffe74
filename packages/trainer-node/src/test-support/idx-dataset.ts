import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '@forger/data';

/**
 * A tiny IDX dataset on disk (train-images-idx3-ubyte and its labels beside it, as `--dataset` finds them), of `count`
 * images of `shape` ([h, w] or [h, w, c]) with labels 0, 1, …, classes − 1 in turn. For tests of odd shapes.
 */
export async function writeIdxDataset(shape: number[], options: { count?: number; classes?: number } = {}): Promise<string> {
  const count = options.count ?? 64;
  const classes = options.classes ?? 10;
  const folder = await mkdtemp(join(tmpdir(), 'forger-idx-'));
  const pixels = new Uint8Array(count * shape.reduce((a, b) => a * b, 1)).map((_, i) => (i * 37) % 256);
  const images = join(folder, shape.length === 2 ? 'train-images-idx3-ubyte' : 'train-images-idx4-ubyte');
  await writeFile(images, encodeIdx([count, ...shape], pixels));
  await writeFile(join(folder, 'train-labels-idx1-ubyte'), encodeIdx([count], new Uint8Array(count).map((_, i) => i % classes)));
  return images;
}
