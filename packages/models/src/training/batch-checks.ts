import type * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import type { TrainBatch } from './types.js';

const shapeText = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/** A batch that does not fit the spec fails here, with the shapes, not deep in a kernel. */
export function checkBatchShapes(spec: ModelSpec, batch: TrainBatch): void {
  const { height, width, channels } = spec.image;
  const image = (t: tf.Tensor, what: string): void => {
    if (t.rank !== 4 || t.shape[1] !== height || t.shape[2] !== width || t.shape[3] !== channels) {
      throw new ModelError('bad-input', `${what} must be [batch, ${height}, ${width}, ${channels}] images, got ${shapeText(t)}`, { where: what });
    }
  };
  image(batch.real, 'batch.real');
  if (batch.z.rank !== 2 || batch.z.shape[1] !== spec.latentDim) {
    throw new ModelError('bad-input', `batch.z must be [batch, ${spec.latentDim}], got ${shapeText(batch.z)}`, { where: 'batch.z' });
  }
  if (batch.labeledReal) {
    image(batch.labeledReal, 'batch.labeledReal');
    if (!batch.labels || batch.labels.rank !== 1 || batch.labels.shape[0] !== batch.labeledReal.shape[0]) {
      throw new ModelError('bad-input', `batch.labels must be [${batch.labeledReal.shape[0]}] class indices, one per labeled image, got ${batch.labels ? shapeText(batch.labels) : 'none'}`, { where: 'batch.labels' });
    }
  }
}
