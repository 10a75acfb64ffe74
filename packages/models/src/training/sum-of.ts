import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';

/**
 * WebGPU binds 8 storage buffers per shader stage unless the device asks for more, and tfjs-backend-webgpu's
 * AddN binds every input plus its output without splitting: 8 or more tensors fail to compile there.
 */
const MOST_ADDN_INPUTS = 7;

/** Σ tensors, as tf.addN in groups small enough for every backend (one kernel per group). */
export function sumOf(tensors: tf.Tensor[]): tf.Tensor {
  if (tensors.length === 0) throw new ModelError('bad-input', 'sumOf needs at least one tensor');
  let terms = tensors;
  while (terms.length > 1) {
    const groups: tf.Tensor[] = [];
    for (let i = 0; i < terms.length; i += MOST_ADDN_INPUTS) {
      const group = terms.slice(i, i + MOST_ADDN_INPUTS);
      groups.push(group.length === 1 ? group[0]! : tf.addN(group));
    }
    terms = groups;
  }
  return terms[0]!;
}
