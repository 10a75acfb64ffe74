import { CheckpointError } from '../checkpoint/checkpoint-error.js';

// Symmetric int8 quantization: value ≈ q × scale, q ∈ [-127, 127], no zero
// point, scale = max|value| / 127 per tensor or per index of one axis
// (per-channel, as TFLite does for conv filters). -128 is never written, so
// the range is symmetric and q = -q' round-trips.

export interface Int8Quantized {
  /** The int8 values as bytes (two's complement). */
  data: Uint8Array;
  /** float32-exact scales, one per tensor or one per channel. */
  scale: number[];
}

/** Size of the block of consecutive elements that share one index of `axis` (row-major). */
function innerSize(shape: readonly number[], axis: number): number {
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return inner;
}

function scaleFor(maxAbs: number): number {
  // An all-zero channel gets scale 1: any scale reproduces zeros, and it keeps
  // q = value / scale defined.
  return maxAbs === 0 ? 1 : Math.fround(maxAbs / 127);
}

export function quantizeInt8(values: Float32Array, shape: readonly number[], quantAxis?: number, where = 'tensor'): Int8Quantized {
  const channels = quantAxis === undefined ? 1 : shape[quantAxis]!;
  const inner = quantAxis === undefined ? values.length : innerSize(shape, quantAxis);
  const channelOf = (i: number) => (quantAxis === undefined ? 0 : Math.floor(i / inner) % channels);
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new CheckpointError('bad-tensor', `value ${v} at index ${i} cannot be quantized to int8`, { where });
    }
    const c = channelOf(i);
    const a = Math.abs(v);
    if (a > maxAbs[c]!) maxAbs[c] = a;
  }
  const scale = Array.from(maxAbs, scaleFor);
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const r = Math.round(values[i]! / scale[channelOf(i)]!);
    q[i] = r > 127 ? 127 : r < -127 ? -127 : r;
  }
  return { data: new Uint8Array(q.buffer), scale };
}

export function dequantizeInt8(data: Uint8Array, scale: readonly number[], shape: readonly number[], quantAxis?: number): Float32Array {
  const q = new Int8Array(data.buffer, data.byteOffset, data.length);
  const out = new Float32Array(q.length);
  if (quantAxis === undefined) {
    const s = scale[0]!;
    for (let i = 0; i < q.length; i++) out[i] = q[i]! * s;
    return out;
  }
  const channels = shape[quantAxis]!;
  const inner = innerSize(shape, quantAxis);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * scale[Math.floor(i / inner) % channels]!;
  return out;
}
