import { forger } from '@forger/proto';
import { describe, expect, it } from 'vitest';
import { smallCheckpoint } from '../test-support/fixtures.js';
import { CheckpointError } from './checkpoint-error.js';
import { crc32 } from './crc32.js';
import { decodeCheckpoint } from './decode.js';
import { encodeCheckpoint } from './encode.js';
import { CHECKPOINT_FILE_PREFIX, CHECKPOINT_MAGIC } from './format.js';
import type { Checkpoint, DType, ModelFamily } from './types.js';

const families: ModelFamily[] = ['vanilla', 'dcgan', 'ssgan', 'classifier', 'acgan'];
const dtypes: DType[] = ['float32', 'float16', 'int8'];

function expectCheckpointError(fn: () => unknown, code: CheckpointError['code'], message?: RegExp): CheckpointError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    const e = err as CheckpointError;
    expect(e.code).toBe(code);
    if (message) expect(e.message).toMatch(message);
    return e;
  }
  throw new Error(`expected CheckpointError(${code}), nothing was thrown`);
}

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('encodeCheckpoint / decodeCheckpoint round trip', () => {
  for (const family of families) {
    for (const dtype of dtypes) {
      for (const training of [false, true]) {
        it(`${family}, ${dtype} weights, ${training ? 'with' : 'without'} training state`, () => {
          const c = smallCheckpoint(family, { dtype, training });
          const bytes = encodeCheckpoint(c);
          expect([...bytes.subarray(0, 10)]).toEqual([...CHECKPOINT_FILE_PREFIX]);
          const back = decodeCheckpoint(bytes);
          expect(back).toEqual(c);
          // Re-encoding what was decoded gives the same bytes: nothing is lost or invented.
          expect(encodeCheckpoint(back)).toEqual(bytes);
        });
      }
    }
  }

  it('accepts an ArrayBuffer and does not alias the input bytes', () => {
    const c = smallCheckpoint('dcgan');
    const bytes = encodeCheckpoint(c);
    const back = decodeCheckpoint(bytes.slice().buffer);
    expect(back.generator[0]!.data).toEqual(c.generator[0]!.data);
    const fromView = decodeCheckpoint(bytes);
    bytes.fill(0);
    expect(fromView.generator[0]!.data).toEqual(c.generator[0]!.data);
  });

  it('keeps uint64 counters above 2^32 exactly', () => {
    const c = smallCheckpoint('dcgan', { training: true });
    c.training!.step = 2 ** 40 + 5;
    c.training!.optimizers[0]!.iterations = Number.MAX_SAFE_INTEGER;
    const back = decodeCheckpoint(encodeCheckpoint(c));
    expect(back.training!.step).toBe(2 ** 40 + 5);
    expect(back.training!.optimizers[0]!.iterations).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('gives float layer parameters back as written (0.2, not 0.2000000029802)', () => {
    const back = decodeCheckpoint(encodeCheckpoint(smallCheckpoint('dcgan')));
    expect(back.spec.discriminatorLayers[0]!.rate).toBe(0.2);
    expect(back.spec.generatorLayers[1]!.epsilon).toBe(0.001);
  });
});

describe('decodeCheckpoint rejects', () => {
  const good = () => encodeCheckpoint(smallCheckpoint('dcgan', { training: true }));

  it('a file that is not a checkpoint', () => {
    expectCheckpointError(() => decodeCheckpoint(new TextEncoder().encode('{"not": "a checkpoint"}')), 'bad-magic', /FORGERCK/);
    expectCheckpointError(() => decodeCheckpoint(new Uint8Array(0)), 'bad-magic');
  });

  it('a truncated file, as a malformed envelope', () => {
    const bytes = good();
    const e = expectCheckpointError(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 100)), 'malformed');
    expect(e.where).toBe('envelope');
  });

  it('a flipped payload bit through the CRC', () => {
    const bytes = good();
    bytes[bytes.length - 50]! ^= 0x10;
    expectCheckpointError(() => decodeCheckpoint(bytes), 'checksum-mismatch', /CRC-32 is 0x[0-9a-f]{8} but the envelope says/);
  });

  it('a file over the size limit before parsing it', () => {
    const bytes = good();
    expectCheckpointError(() => decodeCheckpoint(bytes, { maxFileBytes: 100 }), 'too-large', /over the 100 B limit/);
  });

  it('more tensors than the limit', () => {
    expectCheckpointError(() => decodeCheckpoint(good(), { maxTensorsPerNetwork: 3 }), 'too-large', /more than 3 entries/);
  });

  it('a tensor of rank 20 before parsing it, naming where it is', () => {
    const c = smallCheckpoint('dcgan');
    const payload = forger.v1.Checkpoint.decode(forger.v1.CheckpointFile.decode(encodeCheckpoint(c)).payload);
    payload.discriminator[1]!.shape = new Array(20).fill(1);
    const bytes = forger.v1.Checkpoint.encode(payload).finish();
    const file = forger.v1.CheckpointFile.encode({ magic: CHECKPOINT_MAGIC, formatVersion: 1, payloadCrc32: crc32(bytes), payload: bytes }).finish();
    const e = expectCheckpointError(() => decodeCheckpoint(file), 'too-large', /shape has more than 8 entries/);
    expect(e.where).toBe('discriminator[1]');
  });

  it('not bytes at all', () => {
    expectCheckpointError(() => decodeCheckpoint('FORGERCK' as unknown as Uint8Array), 'malformed');
  });
});

describe('encodeCheckpoint validates first', () => {
  it('names the tensor whose bytes do not match its shape', () => {
    const c = smallCheckpoint('dcgan');
    c.generator[0] = { ...c.generator[0]!, shape: [1024, 6272] };
    const e = expectCheckpointError(
      () => encodeCheckpoint(c),
      'bad-tensor',
      /tensor "g_dense_1\/kernel" declares 1024×6272 float32 \(25\.7 MB\) but carries 160 B: the data is truncated/,
    );
    expect(e.where).toBe('generator[0] "g_dense_1/kernel"');
  });

  it('rejects duplicate layer names, unknown kinds and a missing generator', () => {
    const dup = smallCheckpoint('dcgan');
    dup.spec.generatorLayers[1]!.name = 'g_dense_1';
    expectCheckpointError(() => encodeCheckpoint(dup), 'bad-spec', /appears twice/);
    const kind = smallCheckpoint('vanilla');
    (kind.spec.generatorLayers[0] as { kind: string }).kind = 'attention';
    expectCheckpointError(() => encodeCheckpoint(kind), 'bad-spec', /"attention" is not known/);
    const noGen: Checkpoint = { ...smallCheckpoint('ssgan'), generator: [] };
    expectCheckpointError(() => encodeCheckpoint(noGen), 'missing-field');
  });

  it('keeps a conditional (acgan) checkpoint\'s classes, and refuses one without classes', () => {
    const back = decodeCheckpoint(encodeCheckpoint(smallCheckpoint('acgan')));
    expect(back.spec.family).toBe('acgan');
    expect(back.spec.numClasses).toBe(3);
    expect(back.spec.classNames).toEqual(['zero', 'one', 'two']);
    const classless = smallCheckpoint('acgan');
    classless.spec.numClasses = 0;
    classless.spec.classNames = [];
    expectCheckpointError(() => encodeCheckpoint(classless), 'bad-spec', /a acgan model needs numClasses ≥ 1/);
  });

  it('keeps a dense layer\'s weight normalisation through the wire, and rejects it elsewhere or misspelt', () => {
    const c = smallCheckpoint('ssgan');
    const outputIndex = c.spec.discriminatorLayers.findIndex((l) => l.name === 'd_out');
    c.spec.discriminatorLayers[outputIndex] = { ...c.spec.discriminatorLayers[outputIndex]!, weightNorm: 'trained-scale' };
    c.spec.generatorLayers[0] = { ...c.spec.generatorLayers[0]!, weightNorm: 'fixed-scale' };
    const back = decodeCheckpoint(encodeCheckpoint(c));
    expect(back.spec.discriminatorLayers[outputIndex]!.weightNorm).toBe('trained-scale');
    expect(back.spec.generatorLayers[0]!.weightNorm).toBe('fixed-scale');
    expect(back.spec.discriminatorLayers[0]!.weightNorm).toBeUndefined();

    const misspelt = smallCheckpoint('ssgan');
    (misspelt.spec.discriminatorLayers[outputIndex] as { weightNorm?: string }).weightNorm = 'fixed';
    expectCheckpointError(() => encodeCheckpoint(misspelt), 'bad-spec', /weightNorm "fixed" is not "fixed-scale" or "trained-scale"/);
    const onConv = smallCheckpoint('dcgan');
    onConv.spec.discriminatorLayers[0] = { ...onConv.spec.discriminatorLayers[0]!, weightNorm: 'fixed-scale' };
    const e = expectCheckpointError(() => encodeCheckpoint(onConv), 'bad-spec', /weightNorm applies to dense layers only, this one is "conv2d"/);
    expect(e.where).toBe('spec.discriminatorLayers[0] "d_conv_1"');
  });

  it('rejects int8 with the wrong number of scales and a quant axis out of range', () => {
    const c = smallCheckpoint('vanilla', { dtype: 'int8' });
    const t = c.generator[2]!; // per-channel on axis 1 of [8, 16]
    expect(t.scale).toHaveLength(16);
    c.generator[2] = { ...t, scale: t.scale.slice(0, 15) };
    expectCheckpointError(() => encodeCheckpoint(c), 'bad-tensor', /needs 16 scales, got 15/);
    c.generator[2] = { ...t, quantAxis: 2 };
    expectCheckpointError(() => encodeCheckpoint(c), 'bad-tensor', /quantAxis 2 is not an axis/);
  });

  it('rejects a scale on a float tensor and a uint64 beyond 2^53', () => {
    const c = smallCheckpoint('dcgan', { training: true });
    c.generator[0] = { ...c.generator[0]!, scale: [1] };
    expectCheckpointError(() => encodeCheckpoint(c), 'bad-tensor', /carries no scale/);
    const d = smallCheckpoint('dcgan', { training: true });
    d.training!.step = 2 ** 60;
    expectCheckpointError(() => encodeCheckpoint(d), 'malformed', /safe integer/);
  });
});
