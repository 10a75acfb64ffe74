import { ForgerError } from '../forger-error.js';
import type { ImageShape, PixelRange } from '../checkpoint/types.js';

export type ImageBatchShape = { count: number } & ImageShape;

/** A batch of images that cannot be drawn as a grid (its shape or channel count). */
export class ImageGridError extends ForgerError<'bad-image-batch'> {
  override readonly name = 'ImageGridError';
}

function checkBatch(values: Float32Array, shape: ImageBatchShape): void {
  const { count, height, width, channels } = shape;
  for (const [k, v] of Object.entries({ count, height, width })) {
    if (!Number.isInteger(v) || v < 0) throw new ImageGridError('bad-image-batch', `image batch ${k} must be a non-negative integer, got ${v}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ImageGridError('bad-image-batch', `images need 1 (grayscale), 3 (RGB) or 4 (RGBA) channels, got ${channels}`);
  }
  const expected = count * height * width * channels;
  if (values.length !== expected) {
    throw new ImageGridError('bad-image-batch', `${count}×${height}×${width}×${channels} images need ${expected} values, got ${values.length}`);
  }
}

/**
 * NHWC float images → RGBA bytes, `count*h*w*4`. Grayscale is replicated to
 * R, G and B; alpha is 255 unless the images carry their own.
 */
export function imagesToRgba(values: Float32Array, shape: ImageBatchShape, range: PixelRange): Uint8ClampedArray {
  checkBatch(values, shape);
  const pixels = shape.count * shape.height * shape.width;
  const c = shape.channels;
  const out = new Uint8ClampedArray(pixels * 4);
  // [-1, 1] → [0, 255]: (v + 1) × 127.5; Uint8ClampedArray rounds and clamps.
  const a = range === 'zero-one' ? 255 : 127.5;
  const b = range === 'zero-one' ? 0 : 127.5;
  for (let p = 0; p < pixels; p++) {
    const src = p * c;
    const dst = p * 4;
    if (c === 1) {
      const g = values[src]! * a + b;
      out[dst] = g;
      out[dst + 1] = g;
      out[dst + 2] = g;
      out[dst + 3] = 255;
    } else {
      out[dst] = values[src]! * a + b;
      out[dst + 1] = values[src + 1]! * a + b;
      out[dst + 2] = values[src + 2]! * a + b;
      out[dst + 3] = c === 4 ? values[src + 3]! * a + b : 255;
    }
  }
  return out;
}

/**
 * A batch of images tiled row by row into one RGBA picture, with `border`
 * pixels of `background` around and between the tiles (the sample grids the
 * trainer writes and the demo shows).
 */
export function tileImages(
  values: Float32Array,
  shape: ImageBatchShape,
  range: PixelRange,
  opts: { cols?: number; border?: number; background?: [number, number, number, number] } = {},
): { width: number; height: number; rgba: Uint8ClampedArray } {
  const rgba = imagesToRgba(values, shape, range);
  const { count, height: h, width: w } = shape;
  const cols = opts.cols ?? Math.max(1, Math.ceil(Math.sqrt(count)));
  const border = opts.border ?? 1;
  if (!Number.isInteger(cols) || cols < 1) throw new ImageGridError('bad-image-batch', `cols must be a positive integer, got ${cols}`);
  if (!Number.isInteger(border) || border < 0) throw new ImageGridError('bad-image-batch', `border must be a non-negative integer, got ${border}`);
  const rows = Math.max(1, Math.ceil(count / cols));
  const width = cols * w + (cols + 1) * border;
  const height = rows * h + (rows + 1) * border;
  const out = new Uint8ClampedArray(width * height * 4);
  const [br, bg, bb, ba] = opts.background ?? [0, 0, 0, 255];
  for (let i = 0; i < out.length; i += 4) {
    out[i] = br;
    out[i + 1] = bg;
    out[i + 2] = bb;
    out[i + 3] = ba;
  }
  for (let n = 0; n < count; n++) {
    const x0 = border + (n % cols) * (w + border);
    const y0 = border + Math.floor(n / cols) * (h + border);
    for (let y = 0; y < h; y++) {
      const src = (n * h * w + y * w) * 4;
      out.set(rgba.subarray(src, src + w * 4), ((y0 + y) * width + x0) * 4);
    }
  }
  return { width, height, rgba: out };
}
