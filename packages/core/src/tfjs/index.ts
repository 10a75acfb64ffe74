// '@forger/core/tfjs': checkpoint tensors ⇄ TensorFlow.js tensors. A separate
// entry so that '@forger/core' itself never loads @tensorflow/tfjs-core (an
// optional peer dependency).
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from '../checkpoint/tensor.js';
import type { CheckpointTensor, DType } from '../checkpoint/types.js';

/** A float32 tf.Tensor holding the (dequantised) values. The caller disposes it. */
export function toTfTensor(t: CheckpointTensor): tf.Tensor {
  return tf.tensor(checkpointTensorToFloat32(t), t.shape, 'float32');
}

/**
 * A tf.Tensor → checkpoint tensor, reading the values with dataSync. int8
 * gets per-channel scales on the last axis for rank ≥ 2, as exportForWeb does.
 */
export function fromTfTensor(name: string, x: tf.Tensor, dtype: DType = 'float32'): CheckpointTensor {
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') {
    throw new CheckpointError('bad-tensor', `a ${x.dtype} tf.Tensor cannot be stored as ${dtype}`, { where: `tensor "${name}"` });
  }
  const raw = x.dataSync();
  const values = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
  const opts = dtype === 'int8' && x.rank >= 2 ? { quantAxis: x.rank - 1 } : {};
  return float32ToCheckpointTensor(name, [...x.shape], values, dtype, opts);
}
