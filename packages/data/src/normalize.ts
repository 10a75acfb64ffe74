import type { PixelRange } from '@forger/core';
import { DataError } from './data-error.js';

// Per batch, never per dataset: a float32 copy of MNIST train is 188 MB where
// its bytes are 47 MB, and the model only ever needs one batch of floats.

/**
 * Bytes 0..255 → floats in the generator's output range: [-1, 1] for tanh
 * generators (x / 127.5 − 1, as DCGAN), [0, 1] for sigmoid ones (x / 255).
 * Writes into `out` when given (reuse it across batches to avoid garbage).
 */
export function toFloatBatch(images: Uint8Array, range: PixelRange, out?: Float32Array): Float32Array {
  const values = out ?? new Float32Array(images.length);
  if (values.length !== images.length) {
    throw new DataError('bad-option', 'the output array must hold one float per byte', {
      expected: `${images.length} floats`,
      found: `${values.length}`,
    });
  }
  const [scale, offset] = rangeAffine(range);
  for (let i = 0; i < images.length; i++) values[i] = images[i]! * scale + offset;
  return values;
}

/**
 * Floats in `range` → bytes 0..255, rounded and clamped: the inverse of
 * `toFloatBatch`, for saving generated images with `encodeIdx`/`writeIdx`.
 */
export function toUint8Images(values: Float32Array, range: PixelRange): Uint8Array {
  const [scale, offset] = rangeAffine(range);
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round((values[i]! - offset) / scale);
    // NaN (a diverged generator) becomes 0 rather than poisoning the file.
    bytes[i] = v > 255 ? 255 : v > 0 ? v : 0;
  }
  return bytes;
}

/** [scale, offset] with float = byte × scale + offset. */
function rangeAffine(range: PixelRange): [number, number] {
  switch (range) {
    case 'minus-one-one':
      return [1 / 127.5, -1];
    case 'zero-one':
      return [1 / 255, 0];
    default:
      throw new DataError('bad-option', 'unknown pixel range', {
        expected: "'minus-one-one' or 'zero-one'",
        found: String(range satisfies never),
      });
  }
}
