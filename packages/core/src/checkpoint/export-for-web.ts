import { CheckpointError } from './checkpoint-error.js';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from './tensor.js';
import type { Checkpoint, CheckpointTensor, DType } from './types.js';
import { validateCheckpoint } from './validate.js';

function convertForWeb(t: CheckpointTensor, dtype: DType): CheckpointTensor {
  const values = checkpointTensorToFloat32(t);
  // A NaN or Inf weight renders black images in the browser: never publish one (issue 18).
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new CheckpointError('not-finite', `value ${values[bad]} at index ${bad}: a web export holds only finite weights (the run diverged; export an earlier checkpoint)`, { where: `tensor "${t.name}"` });
  }
  // Biases and batch-norm parameters are tiny and sensitive (a moving variance
  // rounded to float16 shifts every activation), so 1-D tensors stay float32.
  if (t.shape.length <= 1) return float32ToCheckpointTensor(t.name, t.shape, values, 'float32');
  // int8 per output channel: the last axis of dense [in, units] and conv [kh, kw, in, filters] kernels.
  const opts = dtype === 'int8' ? { quantAxis: t.shape.length - 1 } : {};
  return float32ToCheckpointTensor(t.name, t.shape, values, dtype, opts);
}

/**
 * A generator-only copy for the browser: no discriminator, no training state,
 * weights of rank ≥ 2 stored as `dtype` (float16 halves the file, int8 quarters it). Throws
 * CheckpointError('not-finite') naming the tensor when a weight is NaN or Inf, or when a float16 export would
 * overflow (|x| > 65504): such a file would render black, so none is made.
 */
export function exportForWeb(c: Checkpoint, opts: { dtype: DType }): Checkpoint {
  validateCheckpoint(c);
  if (c.generator.length === 0) {
    throw new CheckpointError('missing-field', `a ${c.spec.family} checkpoint has no generator to export for the web`, { where: 'generator' });
  }
  return {
    spec: structuredClone(c.spec),
    generator: c.generator.map((t) => convertForWeb(t, opts.dtype)),
    discriminator: [],
    provenance: {
      ...c.provenance,
      metrics: { ...c.provenance.metrics },
      note: [c.provenance.note, `web export (${opts.dtype}, generator only)`].filter((s) => s !== '').join('; '),
    },
  };
}
