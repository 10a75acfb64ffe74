import pngjs from 'pngjs';
import { tileImages, type ImageShape, type ModelSpec, type PixelRange } from '@forger/core';
import { isConditional } from '@forger/models';
import { writeFileAtomic } from './atomic-write.js';

/** RGBA pixels → PNG bytes (pngjs: pure JS, no native build, maintained since 2015). */
export function encodePng(width: number, height: number, rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const png = new pngjs.PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return pngjs.PNG.sync.write(png);
}

/** PNG bytes → RGBA, for tests and for `forger inspect`-style checks. */
export function decodePng(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, rgba: png.data };
}

/** Columns of a grid of `count` images: as square as possible, the way keras-dcgan's combine_images lays them out. */
export function gridColumns(count: number): number {
  return Math.ceil(Math.sqrt(count));
}

/**
 * The columns of a conditional model's grid whose image i shows class i mod K: one column per class, so that each
 * column is one class. Unconditional models: as square as possible.
 */
export function classColumns(spec: ModelSpec, count?: number): number | undefined {
  return isConditional(spec) ? spec.numClasses : count === undefined ? undefined : gridColumns(count);
}

/** Tiles generated images (values in `range`, NHWC) into one grid and writes it atomically as a PNG; returns the PNG too. */
export async function writeSampleGrid(
  path: string,
  values: Float32Array,
  shape: { count: number } & ImageShape,
  range: PixelRange,
  cols = gridColumns(shape.count),
): Promise<{ width: number; height: number; png: Uint8Array }> {
  const grid = tileImages(values, shape, range, { cols, border: 1 });
  const png = encodePng(grid.width, grid.height, grid.rgba);
  await writeFileAtomic(path, png);
  return { width: grid.width, height: grid.height, png };
}
