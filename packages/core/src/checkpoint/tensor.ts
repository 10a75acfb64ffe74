import { decodeFloat16, encodeFloat16 } from '../quantization/float16.js';
import { bytesToFloat32, float32ToBytes } from '../quantization/endianness.js';
import { dequantizeInt8, quantizeInt8 } from '../quantization/int8.js';
import { CheckpointError } from './checkpoint-error.js';
import { formatShape } from './format.js';
import { DEFAULT_CHECKPOINT_LIMITS } from './limits.js';
import type { CheckpointTensor, DType } from './types.js';
import { checkedElementCount, validateTensor } from './validate.js';

/**
 * float32 values → a checkpoint tensor of `dtype`. int8 is per-tensor unless
 * `quantAxis` names the axis that gets its own scale (per-channel).
 */
export function float32ToCheckpointTensor(
  name: string,
  shape: number[],
  values: Float32Array,
  dtype: DType = 'float32',
  opts: { quantAxis?: number } = {},
): CheckpointTensor {
  const where = `tensor "${name}"`;
  const count = checkedElementCount(shape, where, DEFAULT_CHECKPOINT_LIMITS);
  if (values.length !== count) {
    throw new CheckpointError('bad-tensor', `shape ${formatShape(shape)} needs ${count} values, got ${values.length}`, { where });
  }
  if (opts.quantAxis !== undefined && dtype !== 'int8') {
    throw new CheckpointError('bad-tensor', `quantAxis applies to int8 only, not ${dtype}`, { where });
  }
  if (opts.quantAxis !== undefined && !(Number.isInteger(opts.quantAxis) && opts.quantAxis >= 0 && opts.quantAxis < shape.length)) {
    throw new CheckpointError('bad-tensor', `quantAxis ${opts.quantAxis} is not an axis of shape [${shape.join(', ')}]`, { where });
  }
  let t: CheckpointTensor;
  switch (dtype) {
    case 'float32':
      t = { name, shape: [...shape], dtype, data: float32ToBytes(values), scale: [] };
      break;
    case 'float16':
      checkFitsFloat16(values, where);
      t = { name, shape: [...shape], dtype, data: encodeFloat16(values), scale: [] };
      break;
    case 'int8': {
      const q = quantizeInt8(values, shape, opts.quantAxis, where);
      t = { name, shape: [...shape], dtype, data: q.data, scale: q.scale };
      if (opts.quantAxis !== undefined) t.quantAxis = opts.quantAxis;
      break;
    }
    default:
      throw new CheckpointError('bad-tensor', `dtype ${JSON.stringify(dtype)} is not float32, float16 or int8`, { where });
  }
  validateTensor(t, where, DEFAULT_CHECKPOINT_LIMITS);
  return t;
}

/** The largest finite float16, 2^15 × (2 − 2^−10). */
export const FLOAT16_MAX = 65504;

/**
 * float16 stores a finite value above ±65504 as ±Infinity, and one Inf weight renders a black model (issue 18: a run
 * at lr 1e6 exported 113,152 Inf weights without a word). Refuse instead of rounding silently, naming the largest
 * value so the user sees by how much it overflows. Values already NaN or Inf are not an overflow: exportForWeb
 * refuses those for every dtype.
 */
function checkFitsFloat16(values: Float32Array, where: string): void {
  let maxAbs = 0;
  let over = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > FLOAT16_MAX && a !== Infinity) {
      over++;
      if (a > maxAbs) maxAbs = a;
    }
  }
  if (over > 0) {
    throw new CheckpointError('not-finite', `${over} value${over === 1 ? '' : 's'} of up to ${maxAbs.toPrecision(3)} overflow float16 (largest finite ±${FLOAT16_MAX}) and would be stored as Infinity, rendering a black model: store this tensor as float32 or int8`, { where });
  }
}

/** The tensor's values as float32, dequantising float16 and int8. Always a fresh array. */
export function checkpointTensorToFloat32(t: CheckpointTensor): Float32Array {
  validateTensor(t, `tensor "${t.name}"`, DEFAULT_CHECKPOINT_LIMITS);
  switch (t.dtype) {
    case 'float32':
      return bytesToFloat32(t.data);
    case 'float16':
      return decodeFloat16(t.data);
    case 'int8':
      return dequantizeInt8(t.data, t.scale, t.shape, t.quantAxis);
  }
}

/** Number of values in a tensor of `shape` (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
