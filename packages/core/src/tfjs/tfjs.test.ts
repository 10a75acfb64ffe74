import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { float32ToCheckpointTensor } from '../checkpoint/tensor.js';
import { fromTfTensor, toTfTensor } from './index.js';

describe('@forger/core/tfjs', () => {
  it('round-trips a float32 tf.Tensor exactly', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor([1.5, -2, 3.25, 0, 7, 8], [2, 3]);
    const t = fromTfTensor('d/kernel', x);
    expect(t).toMatchObject({ name: 'd/kernel', shape: [2, 3], dtype: 'float32' });
    const y = toTfTensor(t);
    expect(y.shape).toEqual([2, 3]);
    expect(y.dtype).toBe('float32');
    expect([...(await y.data())]).toEqual([1.5, -2, 3.25, 0, 7, 8]);
    tf.dispose([x, y]);
  });

  it('stores int8 per output channel and dequantises on the way back', async () => {
    const x = tf.tensor([1, -100, 0.5, 50], [2, 2]);
    const t = fromTfTensor('w', x, 'int8');
    expect(t.quantAxis).toBe(1);
    expect(t.scale).toEqual([Math.fround(1 / 127), Math.fround(100 / 127)]);
    const back = await toTfTensor(t).data();
    [1, -100, 0.5, 50].forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(t.scale[i % 2]! / 2));
    x.dispose();
  });

  it('reads a float16 checkpoint tensor into a float32 tf.Tensor', async () => {
    const y = toTfTensor(float32ToCheckpointTensor('b', [2], Float32Array.of(0.1, 1), 'float16'));
    expect([...(await y.data())]).toEqual([Math.fround(0.0999755859375), 1]);
    y.dispose();
  });
});
