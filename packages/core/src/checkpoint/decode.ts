import { forger } from '@forger/proto';
import { CheckpointError } from './checkpoint-error.js';
import { crc32 } from './crc32.js';
import { CHECKPOINT_FILE_PREFIX, CHECKPOINT_FORMAT_VERSION, CHECKPOINT_MAGIC, formatBytes } from './format.js';
import { resolveLimits } from './limits.js';
import { ACTIVATIONS, DTYPES, LATENT_PRIORS, LAYER_KINDS, MODEL_FAMILIES, PADDINGS, PIXEL_RANGES, WEIGHT_NORMS, enumName } from './proto-enums.js';
import type { Activation, Checkpoint, CheckpointLimits, CheckpointTensor, LayerSpec, TrainingState } from './types.js';
import { scanPayloadLimits } from './wire-scan.js';
import { validateCheckpoint } from './validate.js';

import v1 = forger.v1;

// Decoding order matters for untrusted input: cheap checks (size, magic,
// version, CRC) first, then a wire-level scan of the declared counts, then
// protobufjs, then full validation of the friendly object, and only then are
// tensor bytes copied out.

/** protobufjs yields uint64 as a Long when the `long` package is present, else as a number. */
function toSafeNumber(v: unknown, where: string): number {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = Number(v);
  else if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    const { low, high } = v as { low: number; high: number };
    n = (high >>> 0) * 4294967296 + (low >>> 0);
  } else throw new CheckpointError('malformed', `expected an unsigned integer, got ${typeof v}`, { where });
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CheckpointError('too-large', `${String(v)} exceeds Number.MAX_SAFE_INTEGER (2^53 - 1)`, { where });
  }
  return n;
}

// proto `float` fields hold float32; give back the shortest decimal that is the
// same float32 (0.2, not 0.20000000298023224), so a spec survives a round trip.
function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

function record(map: { [k: string]: number } | null | undefined): Record<string, number> {
  // Object.fromEntries defines own properties, so a key "__proto__" stays data.
  return Object.fromEntries(Object.entries(map ?? {}));
}

function tensorFromProto(t: v1.Tensor.$Properties): CheckpointTensor {
  const out: CheckpointTensor = {
    name: t.name ?? '',
    shape: [...(t.shape ?? [])],
    // An unknown enum number stays a number here and fails validation by name.
    dtype: (enumName(DTYPES, t.dtype ?? 0) ?? (t.dtype as unknown)) as CheckpointTensor['dtype'],
    data: t.data ?? new Uint8Array(0),
    scale: [...(t.scale ?? [])],
  };
  if (t.quantAxis !== undefined && t.quantAxis !== null) out.quantAxis = t.quantAxis;
  return out;
}

function layerFromProto(l: v1.Layer.$Properties): LayerSpec {
  // Unset proto3 fields read as 0 / '' / false; they stay absent in the friendly layer.
  const out: LayerSpec = {
    kind: (enumName(LAYER_KINDS, l.kind ?? 0) ?? l.kind) as LayerSpec['kind'],
    name: l.name ?? '',
  };
  if (l.units) out.units = l.units;
  if (l.kernelSize) out.kernelSize = l.kernelSize;
  if (l.strides) out.strides = l.strides;
  if (l.padding) out.padding = (enumName(PADDINGS, l.padding) ?? l.padding) as LayerSpec['padding'];
  if (l.activation) out.activation = l.activation as Activation;
  if (l.rate) out.rate = shortestFloat32(l.rate);
  if (l.targetShape && l.targetShape.length > 0) out.targetShape = [...l.targetShape];
  if (l.epsilon) out.epsilon = shortestFloat32(l.epsilon);
  if (l.momentum) out.momentum = shortestFloat32(l.momentum);
  if (l.useBias) out.useBias = true;
  if (l.weightNorm) out.weightNorm = (enumName(WEIGHT_NORMS, l.weightNorm) ?? l.weightNorm) as LayerSpec['weightNorm'];
  return out;
}

function trainingFromProto(t: v1.TrainingState): TrainingState {
  const out: TrainingState = {
    step: toSafeNumber(t.step, 'training.step'),
    epoch: t.epoch,
    optimizers: t.optimizers.map((o, i) => ({
      network: o.network ?? '',
      kind: o.kind ?? '',
      iterations: toSafeNumber(o.iterations ?? 0, `training.optimizers[${i}].iterations`),
      hyper: record(o.hyper),
      slots: (o.slots ?? []).map(tensorFromProto),
    })),
    configJson: t.configJson,
    extra: t.extra.map(tensorFromProto),
  };
  if (t.rng) out.rng = { algorithm: t.rng.algorithm ?? '', words: [...(t.rng.words ?? [])] };
  if (t.data) {
    out.data = {
      dataset: t.data.dataset ?? '',
      split: t.data.split ?? '',
      shuffleSeed: toSafeNumber(t.data.shuffleSeed ?? 0, 'training.data.shuffleSeed'),
      epoch: t.data.epoch ?? 0,
      nextIndex: toSafeNumber(t.data.nextIndex ?? 0, 'training.data.nextIndex'),
    };
  }
  return out;
}

function checkpointFromProto(m: v1.Checkpoint): Checkpoint {
  if (!m.spec) throw new CheckpointError('missing-field', 'the checkpoint has no model spec', { where: 'spec' });
  const s = m.spec;
  const c: Checkpoint = {
    spec: {
      family: enumName(MODEL_FAMILIES, s.family ?? 0) ?? ((s.family ? s.family : undefined) as never),
      variant: s.variant ?? '',
      latentDim: s.latentDim ?? 0,
      latentPrior: enumName(LATENT_PRIORS, s.latentPrior ?? 0) ?? ((s.latentPrior ? s.latentPrior : undefined) as never),
      image: { height: s.image?.height ?? 0, width: s.image?.width ?? 0, channels: s.image?.channels ?? 0 },
      pixelRange: enumName(PIXEL_RANGES, s.pixelRange ?? 0) ?? ((s.pixelRange ? s.pixelRange : undefined) as never),
      numClasses: s.numClasses ?? 0,
      generatorLayers: (s.generatorLayers ?? []).map(layerFromProto),
      discriminatorLayers: (s.discriminatorLayers ?? []).map(layerFromProto),
      classNames: [...(s.classNames ?? [])],
    },
    generator: m.generator.map(tensorFromProto),
    discriminator: m.discriminator.map(tensorFromProto),
    provenance: {
      createdAt: m.provenance?.createdAt ?? '',
      forgerVersion: m.provenance?.forgerVersion ?? '',
      backend: m.provenance?.backend ?? '',
      dataset: m.provenance?.dataset ?? '',
      metrics: record(m.provenance?.metrics),
      note: m.provenance?.note ?? '',
    },
  };
  if (m.training) c.training = trainingFromProto(m.training as v1.TrainingState);
  return c;
}

function parse<T>(what: string, decodeFn: () => T): T {
  try {
    return decodeFn();
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new CheckpointError('malformed', `the ${what} is not valid protobuf (${reason})`, { where: what, cause: err });
  }
}

function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new CheckpointError('malformed', `expected a Uint8Array or ArrayBuffer, got ${input === null ? 'null' : typeof input}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The file's envelope checked (magic, version, CRC); returns the payload bytes. */
export function openCheckpointEnvelope(bytes: Uint8Array, limits: CheckpointLimits): Uint8Array {
  if (bytes.length > limits.maxFileBytes) {
    throw new CheckpointError('too-large', `the file is ${formatBytes(bytes.length)}, over the ${formatBytes(limits.maxFileBytes)} limit`, { where: 'file' });
  }
  if (bytes.length < CHECKPOINT_FILE_PREFIX.length || !sameBytes(bytes.subarray(0, CHECKPOINT_FILE_PREFIX.length), CHECKPOINT_FILE_PREFIX)) {
    throw new CheckpointError('bad-magic', 'not a Forger checkpoint: the file does not start with the "FORGERCK" envelope', { where: 'file' });
  }
  const envelope = parse('envelope', () => v1.CheckpointFile.decode(bytes));
  if (!sameBytes(envelope.magic, CHECKPOINT_MAGIC)) {
    throw new CheckpointError('bad-magic', 'the envelope magic is not "FORGERCK"', { where: 'file' });
  }
  if (envelope.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError('unsupported-version', `format version ${envelope.formatVersion} is not supported; this reader knows version ${CHECKPOINT_FORMAT_VERSION}`, { where: 'file' }
    );
  }
  const actual = crc32(envelope.payload);
  if (actual !== envelope.payloadCrc32) {
    const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
    throw new CheckpointError('checksum-mismatch', `payload CRC-32 is ${hex(actual)} but the envelope says ${hex(envelope.payloadCrc32)}: the file is damaged or truncated`, { where: 'file' }
    );
  }
  return envelope.payload;
}

/**
 * File bytes → Checkpoint, treating the bytes as untrusted. Throws only
 * CheckpointError. Tensor data is copied, so the result does not alias `input`.
 */
export function decodeCheckpoint(input: Uint8Array | ArrayBuffer, limits?: Partial<CheckpointLimits>): Checkpoint {
  const lim = resolveLimits(limits);
  const payload = openCheckpointEnvelope(toBytes(input), lim);
  scanPayloadLimits(payload, lim);
  const message = parse('payload', () => v1.Checkpoint.decode(payload));
  const c = parse('payload', () => checkpointFromProto(message));
  validateCheckpoint(c, lim);
  const copy = (t: CheckpointTensor) => {
    t.data = new Uint8Array(t.data); // a copy: Buffer#slice would alias the input
  };
  c.generator.forEach(copy);
  c.discriminator.forEach(copy);
  c.training?.extra.forEach(copy);
  c.training?.optimizers.forEach((o) => o.slots.forEach(copy));
  return c;
}
