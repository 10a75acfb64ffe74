import { afterEach, describe, expect, it, vi } from 'vitest';
import { forger } from '@forger/proto';
import { smallCheckpoint } from '../test-support/fixtures.js';
import { encodeUnchecked, scaleBombTensor } from '../test-support/hostile-corpus.js';
import { CheckpointError } from './checkpoint-error.js';
import { decodeCheckpoint } from './decode.js';

// Issue 18, finding 6: "A 496 MB file of per-channel scales costs 3.7 GB RSS and 19–24 s before `bad-tensor`":
// protobufjs built a JS array of every scale before validation counted them. The wire scan now holds a tensor's scales
// to its channel count, so such a file is refused before protobufjs decodes the payload at all.

afterEach(() => vi.restoreAllMocks());

function bombFile(scales: number): Uint8Array {
  const c = smallCheckpoint('vanilla');
  c.generator.push(scaleBombTensor('g_bomb/kernel', scales));
  return encodeUnchecked(c);
}

describe('scale bombs', () => {
  it('refuses 2^22 scales on a 4-channel tensor before protobufjs decodes the payload', () => {
    const decode = vi.spyOn(forger.v1.Checkpoint, 'decode');
    const file = bombFile(1 << 22); // 16 MB of scales; the 496 MB of the issue behaves the same, only slower to build
    let error: unknown;
    try {
      decodeCheckpoint(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('too-large');
    expect((error as CheckpointError).message).toBe(
      'generator[4]: the tensor carries 4194304 int8 scales, more than its 4 channels on quant axis 1 of shape [4, 4]: refused before decoding them',
    );
    expect(decode).not.toHaveBeenCalled();
  });

  it('still decodes a per-channel tensor with exactly its channels, and leaves 2..4 scales to validation', () => {
    const c = smallCheckpoint('vanilla', { dtype: 'int8' });
    expect(() => decodeCheckpoint(encodeUnchecked(c))).not.toThrow();
    expect(() => decodeCheckpoint(bombFile(3))).toThrow(/needs 4 scales, got 3/);
  });

  it('holds a per-tensor int8 (no quant axis) to one scale', () => {
    const c = smallCheckpoint('vanilla');
    c.generator.push({ name: 'g_x/kernel', shape: [2, 2], dtype: 'int8', data: new Uint8Array(4), scale: [1, 2, 3] });
    expect(() => decodeCheckpoint(encodeUnchecked(c))).toThrow(/3 int8 scales, more than its one per-tensor scale/);
  });
});
