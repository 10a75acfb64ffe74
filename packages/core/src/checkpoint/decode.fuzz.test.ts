// Fuzz test of the decoder as it meets untrusted files: every variant must
// either decode to a checkpoint that re-encodes, or throw CheckpointError —
// never a TypeError/RangeError, a hang or a giant allocation. Seeded, so a
// failure reproduces; the variant's label is in the assertion message.
import { forger } from '@forger/proto';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { smallCheckpoint } from '../test-support/fixtures.js';
import { CheckpointError, type CheckpointErrorCode } from './checkpoint-error.js';
import { crc32 } from './crc32.js';
import { decodeCheckpoint } from './decode.js';
import { encodeCheckpoint } from './encode.js';
import { CHECKPOINT_FORMAT_VERSION, CHECKPOINT_MAGIC } from './format.js';

import v1 = forger.v1;

type Outcome = 'ok' | CheckpointErrorCode;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function tryDecode(bytes: Uint8Array, label: string): Outcome {
  let decoded;
  try {
    decoded = decodeCheckpoint(bytes);
  } catch (err) {
    if (!(err instanceof CheckpointError)) {
      expect.fail(`${label}: threw ${String(err)} instead of a CheckpointError`);
    }
    return err.code;
  }
  // A variant that decodes must be a real checkpoint: it re-encodes and reads back the same.
  const again = encodeCheckpoint(decoded);
  if (!sameBytes(encodeCheckpoint(decodeCheckpoint(again)), again)) expect.fail(`${label}: decoded, but does not re-encode stably`);
  return 'ok';
}

/** An envelope with a correct CRC around any payload, so validation, not the checksum, must catch the damage. */
function withValidChecksum(payload: Uint8Array): Uint8Array {
  return v1.CheckpointFile.encode({ magic: CHECKPOINT_MAGIC, formatVersion: CHECKPOINT_FORMAT_VERSION, payloadCrc32: crc32(payload), payload }).finish();
}

function payloadOf(file: Uint8Array): Uint8Array {
  return v1.CheckpointFile.decode(file).payload;
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

// The proto-level message as a plain object, to be mutated field by field.
type Message = Record<string, any>;

const base = encodeCheckpoint(smallCheckpoint('dcgan', { dtype: 'int8', training: true }));
const ssganBase = encodeCheckpoint(smallCheckpoint('ssgan', { dtype: 'float16', training: true }));

function protoMessage(file: Uint8Array): Message {
  return v1.Checkpoint.toObject(v1.Checkpoint.decode(payloadOf(file)), { arrays: true, objects: true, longs: Number }) as Message;
}

function pickTensor(m: Message, rng: Rng): Message {
  const lists = [m.generator, m.discriminator, m.training?.extra, m.training?.optimizers?.[0]?.slots].filter((l) => Array.isArray(l) && l.length > 0);
  const list = lists[rng.int(lists.length)] as Message[];
  return list[rng.int(list.length)]!;
}

function pickLayer(m: Message, rng: Rng): Message {
  const list = (rng.int(2) === 0 ? m.spec.generatorLayers : m.spec.discriminatorLayers) as Message[];
  return list[rng.int(list.length)]!;
}

const HUGE_UINT64 = { low: 0xffffffff, high: 0xffffffff, unsigned: true };

// Each mutation breaks one field in a way a damaged or hostile writer might.
const mutations: { name: string; apply: (m: Message, rng: Rng) => void }[] = [
  { name: 'no spec', apply: (m) => delete m.spec },
  { name: 'unknown family', apply: (m, r) => (m.spec.family = [0, 5, 99][r.int(3)]) },
  { name: 'latent dim 0 or huge', apply: (m, r) => (m.spec.latentDim = [0, 0xffffffff][r.int(2)]) },
  { name: 'unknown prior / range', apply: (m, r) => (r.int(2) ? (m.spec.latentPrior = 7) : (m.spec.pixelRange = 0)) },
  { name: 'no image shape', apply: (m) => delete m.spec.image },
  { name: 'zero image dim', apply: (m, r) => (m.spec.image[['height', 'width', 'channels'][r.int(3)]!] = 0) },
  { name: 'image of 2^48 pixels', apply: (m) => (m.spec.image = { height: 65536, width: 65536, channels: 65536 }) },
  { name: 'class names do not match classes', apply: (m) => (m.spec.classNames = ['a', 'b']) },
  { name: 'no generator', apply: (m) => (m.generator = []) },
  { name: 'huge dimension', apply: (m, r) => (pickTensor(m, r).shape = [0xffffffff, 0xffffffff]) },
  { name: 'rank 20', apply: (m, r) => (pickTensor(m, r).shape = new Array(20).fill(1)) },
  { name: 'shape off by one', apply: (m, r) => pickTensor(m, r).shape.push(2) },
  { name: 'unknown dtype', apply: (m, r) => (pickTensor(m, r).dtype = [0, 4, 99][r.int(3)]) },
  { name: 'dtype changed', apply: (m, r) => (pickTensor(m, r).dtype = 1 + r.int(3)) },
  { name: 'data truncated', apply: (m, r) => { const t = pickTensor(m, r); t.data = t.data.subarray(0, r.int(Math.max(1, t.data.length))); } },
  { name: 'data too long', apply: (m, r) => { const t = pickTensor(m, r); t.data = new Uint8Array(t.data.length + 1 + r.int(8)); } },
  { name: 'scales on any tensor', apply: (m, r) => (pickTensor(m, r).scale = [1, 2, 3].slice(0, 1 + r.int(3))) },
  { name: 'bad scale value', apply: (m, r) => (pickTensor(m, r).scale = [[Number.NaN, -1, Infinity][r.int(3)]]) },
  { name: 'quant axis out of range', apply: (m, r) => (pickTensor(m, r).quantAxis = [4, 9, 0xffffffff][r.int(3)]) },
  { name: 'empty / long / duplicate name', apply: (m, r) => {
    const t = pickTensor(m, r);
    t.name = ['', 'x'.repeat(1000), m.generator[0]?.name ?? 'g'][r.int(3)];
  } },
  { name: 'layer kind unknown', apply: (m, r) => (pickLayer(m, r).kind = [0, 14, 1000][r.int(3)]) },
  { name: 'layer name duplicate', apply: (m, r) => (m.spec.generatorLayers[1 + r.int(m.spec.generatorLayers.length - 1)].name = m.spec.generatorLayers[0].name) },
  { name: 'layer name empty', apply: (m, r) => (pickLayer(m, r).name = '') },
  { name: 'layer units 0', apply: (m) => (m.spec.generatorLayers[0].units = 0) },
  { name: 'layer float NaN / negative', apply: (m, r) => (pickLayer(m, r)[['rate', 'epsilon', 'momentum'][r.int(3)]!] = [Number.NaN, -1, Infinity][r.int(3)]) },
  { name: 'layer padding / activation unknown', apply: (m, r) => (r.int(2) ? (pickLayer(m, r).padding = 9) : (pickLayer(m, r).activation = 'gelu')) },
  { name: 'reshape without target', apply: (m) => (m.spec.generatorLayers.find((l: Message) => l.kind === 8).targetShape = []) },
  { name: 'target shape of zeros', apply: (m) => (m.spec.generatorLayers.find((l: Message) => l.kind === 8).targetShape = [0, 2]) },
  { name: 'step beyond 2^53', apply: (m) => (m.training.step = HUGE_UINT64) },
  { name: 'iterations beyond 2^53', apply: (m) => (m.training.optimizers[0].iterations = HUGE_UINT64) },
  { name: 'data position beyond 2^53', apply: (m) => (m.training.data.nextIndex = HUGE_UINT64) },
  { name: 'rng of 100 words', apply: (m) => (m.training.rng.words = new Array(100).fill(7)) },
  { name: '5000 metrics', apply: (m) => (m.provenance.metrics = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`m${i}`, i]))) },
  { name: '5000 tensors', apply: (m) => (m.discriminator = Array.from({ length: 5000 }, (_, i) => ({ name: `t${i}`, shape: [1], dtype: 1, data: new Uint8Array(4) }))) },
  { name: '2^32 elements in a tiny file', apply: (m) => m.generator.push({ name: 'big', shape: [65536, 65536], dtype: 3, data: new Uint8Array(1), scale: [1] }) },
  { name: 'no training parts', apply: (m) => { delete m.training.rng; delete m.training.data; m.training.optimizers = []; } },
  { name: 'no provenance', apply: (m) => delete m.provenance },
  { name: 'unknown field kept', apply: (m) => (m.spec.variant = 'v'.repeat(200)) },
];

describe('decodeCheckpoint fuzz', () => {
  it('survives truncation at every length', () => {
    const outcomes: Outcome[] = [];
    for (let n = 0; n < base.length; n++) outcomes.push(tryDecode(base.subarray(0, n), `truncated to ${n} bytes`));
    expect(outcomes.length).toBeGreaterThan(3000);
    expect(outcomes).not.toContain('ok');
  });

  it('survives random bit flips and byte overwrites (the CRC or the envelope catches them)', () => {
    const rng = Rng.fromSeed(0xf1);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 2500; i++) {
      const bytes = base.slice();
      const flips = 1 + rng.int(4);
      for (let k = 0; k < flips; k++) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
      outcomes.push(tryDecode(bytes, `bit flips #${i}`));
    }
    for (let i = 0; i < 1500; i++) {
      const bytes = base.slice();
      const start = rng.int(bytes.length);
      const len = 1 + rng.int(16);
      for (let k = start; k < Math.min(bytes.length, start + len); k++) bytes[k] = rng.int(256);
      outcomes.push(tryDecode(bytes, `byte overwrite #${i}`));
    }
    const counts = tally(outcomes);
    expect(counts['checksum-mismatch']).toBeGreaterThan(2000);
    expect(counts['bad-magic']).toBeGreaterThan(0);
  });

  it('survives payload corruption behind a valid checksum (the parser and validation catch it)', () => {
    const rng = Rng.fromSeed(0xc4c);
    const payload = payloadOf(base);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 2500; i++) {
      const p = payload.slice();
      const kind = rng.int(3);
      if (kind === 0) {
        for (let k = 0, n = 1 + rng.int(4); k < n; k++) p[rng.int(p.length)]! ^= 1 << rng.int(8);
      } else if (kind === 1) {
        const start = rng.int(p.length);
        for (let k = start; k < Math.min(p.length, start + 1 + rng.int(8)); k++) p[k] = rng.int(256);
      }
      const cut = kind === 2 ? p.subarray(0, rng.int(p.length)) : p;
      outcomes.push(tryDecode(withValidChecksum(cut), `payload corruption #${i} (kind ${kind})`));
    }
    const counts = tally(outcomes);
    // The damage reaches past the CRC: protobuf parsing and tensor validation both reject variants.
    expect(counts['malformed']).toBeGreaterThan(100);
    expect(counts['bad-tensor']).toBeGreaterThan(20);
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(4);
  });

  it('survives field-level mutations re-encoded with a valid checksum', () => {
    const rng = Rng.fromSeed(0x5eed);
    const outcomes: Outcome[] = [];
    const seen = new Map<string, Set<Outcome>>();
    const bases = [protoMessage(base), protoMessage(ssganBase)];
    for (let i = 0; i < 2500; i++) {
      const m = structuredClone(bases[i % 2]!);
      const applied: string[] = [];
      for (let k = 0, n = 1 + (rng.int(4) === 0 ? 1 : 0); k < n; k++) {
        const mutation = mutations[(i + k * 7) % mutations.length]!;
        try {
          mutation.apply(m, rng);
          applied.push(mutation.name);
        } catch {
          // Not applicable after an earlier mutation (e.g. the spec is gone): the variant keeps the first.
        }
      }
      const payload = v1.Checkpoint.encode(m).finish();
      const outcome = tryDecode(withValidChecksum(payload), `mutation #${i}: ${applied.join(' + ')}`);
      outcomes.push(outcome);
      const key = applied.join(' + ');
      if (!seen.has(key)) seen.set(key, new Set());
      seen.get(key)!.add(outcome);
    }
    const counts = tally(outcomes);
    for (const code of ['missing-field', 'bad-spec', 'bad-tensor', 'too-large'] as const) expect(counts[code], code).toBeGreaterThan(20);
    // Mutations that must always be refused, and with the right code.
    const only = (name: string) => [...(seen.get(name) ?? [])];
    expect(only('no spec')).toEqual(['missing-field']);
    expect(only('rank 20')).toEqual(['too-large']);
    expect(only('huge dimension')).toEqual(['too-large']);
    expect(only('shape off by one')).toEqual(['bad-tensor']);
    expect(only('step beyond 2^53')).toEqual(['too-large']);
    expect(only('5000 tensors')).toEqual(['too-large']);
    expect(only('2^32 elements in a tiny file')).toEqual(['too-large']);
    expect(only('layer name duplicate')).toEqual(['bad-spec']);
    // And harmless ones still decode.
    expect(only('no training parts')).toEqual(['ok']);
    expect(only('no provenance')).toEqual(['ok']);
  });
});
