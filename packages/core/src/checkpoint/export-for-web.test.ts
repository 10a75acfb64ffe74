import { describe, expect, it } from 'vitest';
import { smallCheckpoint } from '../test-support/fixtures.js';
import { CheckpointError } from './checkpoint-error.js';
import { exportForWeb } from './export-for-web.js';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from './tensor.js';
import type { Checkpoint } from './types.js';

// Issue 18, finding 2: `train --lr 1e6` and `forger export --dtype float16` wrote weights up to 6.4e7 as float16
// Infinity, a web export that renders black without a word. Now the export refuses, naming the tensor and the value.

function withGeneratorValue(c: Checkpoint, name: string, index: number, value: number): Checkpoint {
  return {
    ...c,
    generator: c.generator.map((t) => {
      if (t.name !== name) return t;
      const values = checkpointTensorToFloat32(t);
      values[index] = value;
      return float32ToCheckpointTensor(t.name, t.shape, values);
    }),
  };
}

function thrown(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return e as CheckpointError;
  }
  throw new Error('expected a CheckpointError');
}

describe('exportForWeb refuses weights the web file would turn into NaN or Inf', () => {
  it('a kernel weight beyond float16 (6.4e7 > 65504) is refused for float16, naming the tensor and the value', () => {
    const c = withGeneratorValue(smallCheckpoint('vanilla'), 'g_dense_1/kernel', 3, -6.4e7);
    const e = thrown(() => exportForWeb(c, { dtype: 'float16' }));
    expect(e.code).toBe('not-finite');
    expect(e.message).toBe('tensor "g_dense_1/kernel": 1 value of up to 6.40e+7 overflow float16 (largest finite ±65504) and would be stored as Infinity, rendering a black model: store this tensor as float32 or int8');
  });

  it('the same checkpoint exports as int8 and float32, and 65504 itself still fits float16', () => {
    const c = withGeneratorValue(smallCheckpoint('vanilla'), 'g_dense_1/kernel', 3, -6.4e7);
    for (const dtype of ['int8', 'float32'] as const) {
      const web = exportForWeb(c, { dtype });
      expect(checkpointTensorToFloat32(web.generator.find((t) => t.name === 'g_dense_1/kernel')!).every(Number.isFinite)).toBe(true);
    }
    const edge = withGeneratorValue(smallCheckpoint('vanilla'), 'g_dense_1/kernel', 3, 65504);
    expect(checkpointTensorToFloat32(exportForWeb(edge, { dtype: 'float16' }).generator[0]!)[3]).toBe(65504);
  });

  it.each(['float16', 'int8', 'float32'] as const)('a NaN or Inf weight is refused for %s', (dtype) => {
    for (const [name, value] of [['g_dense_2/bias', Number.NaN], ['g_dense_1/kernel', Number.POSITIVE_INFINITY]] as const) {
      const e = thrown(() => exportForWeb(withGeneratorValue(smallCheckpoint('vanilla'), name, 0, value), { dtype }));
      expect(e.code).toBe('not-finite');
      expect(e.where).toBe(`tensor "${name}"`);
      expect(e.message).toContain(`value ${value} at index 0`);
    }
  });
});
