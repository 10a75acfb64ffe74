import type { ImageShape } from '@forger/core';
import type { Dataset } from '../dataset.js';

/**
 * A small dataset whose every image is filled with its own index (mod 256) and
 * whose label is index mod numClasses, so a test can tell from a batch's bytes
 * which examples it holds.
 */
export function syntheticDataset(
  count: number,
  opts: { image?: ImageShape; numClasses?: number; name?: string; split?: 'train' | 'test' } = {},
): Dataset {
  const image = opts.image ?? { height: 2, width: 3, channels: 1 };
  const numClasses = opts.numClasses ?? 10;
  const size = image.height * image.width * image.channels;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(i % 256, i * size, (i + 1) * size);
    labels[i] = i % numClasses;
  }
  return {
    name: opts.name ?? 'synthetic',
    split: opts.split ?? 'train',
    count,
    image,
    numClasses,
    classNames: Array.from({ length: numClasses }, (_, c) => `class-${c}`),
    images,
    labels,
  };
}
