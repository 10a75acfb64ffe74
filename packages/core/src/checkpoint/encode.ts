import { forger } from '@forger/proto';
import { CheckpointError } from './checkpoint-error.js';
import { crc32 } from './crc32.js';
import { CHECKPOINT_FORMAT_VERSION, CHECKPOINT_MAGIC, formatBytes } from './format.js';
import { DEFAULT_CHECKPOINT_LIMITS } from './limits.js';
import { DTYPES, LATENT_PRIORS, LAYER_KINDS, MODEL_FAMILIES, PADDINGS, PIXEL_RANGES, WEIGHT_NORMS, enumValue } from './proto-enums.js';
import type { Checkpoint, CheckpointTensor, LayerSpec, TrainingState } from './types.js';
import { validateCheckpoint } from './validate.js';

import v1 = forger.v1;

function tensorToProto(t: CheckpointTensor): v1.Tensor.$Properties {
  const out: v1.Tensor.$Properties = { name: t.name, shape: t.shape, dtype: enumValue(DTYPES, t.dtype), data: t.data, scale: t.scale };
  if (t.quantAxis !== undefined) out.quantAxis = t.quantAxis;
  return out;
}

function layerToProto(l: LayerSpec): v1.Layer.$Properties {
  return {
    kind: enumValue(LAYER_KINDS, l.kind),
    name: l.name,
    units: l.units ?? 0,
    kernelSize: l.kernelSize ?? 0,
    strides: l.strides ?? 0,
    padding: l.padding === undefined ? 0 : enumValue(PADDINGS, l.padding),
    activation: l.activation ?? '',
    rate: l.rate ?? 0,
    targetShape: l.targetShape ?? [],
    epsilon: l.epsilon ?? 0,
    momentum: l.momentum ?? 0,
    useBias: l.useBias ?? false,
    weightNorm: l.weightNorm === undefined ? 0 : enumValue(WEIGHT_NORMS, l.weightNorm),
  };
}

function trainingToProto(t: TrainingState): v1.TrainingState.$Properties {
  const out: v1.TrainingState.$Properties = {
    step: t.step,
    epoch: t.epoch,
    optimizers: t.optimizers.map((o) => ({
      network: o.network,
      kind: o.kind,
      iterations: o.iterations,
      hyper: o.hyper,
      slots: o.slots.map(tensorToProto),
    })),
    configJson: t.configJson,
    extra: t.extra.map(tensorToProto),
  };
  if (t.rng) out.rng = { algorithm: t.rng.algorithm, words: t.rng.words };
  if (t.data) out.data = { ...t.data };
  return out;
}

/** The serialized `Checkpoint` message, without the envelope. */
export function encodeCheckpointPayload(c: Checkpoint): Uint8Array {
  const s = c.spec;
  const message: v1.Checkpoint.$Properties = {
    spec: {
      family: enumValue(MODEL_FAMILIES, s.family),
      variant: s.variant,
      latentDim: s.latentDim,
      latentPrior: enumValue(LATENT_PRIORS, s.latentPrior),
      image: { ...s.image },
      pixelRange: enumValue(PIXEL_RANGES, s.pixelRange),
      numClasses: s.numClasses,
      generatorLayers: s.generatorLayers.map(layerToProto),
      discriminatorLayers: s.discriminatorLayers.map(layerToProto),
      classNames: s.classNames,
    },
    generator: c.generator.map(tensorToProto),
    discriminator: c.discriminator.map(tensorToProto),
    provenance: { ...c.provenance },
  };
  if (c.training) message.training = trainingToProto(c.training);
  return v1.Checkpoint.encode(message).finish();
}

/**
 * Checkpoint → file bytes. Validates first, with the same rules and default
 * limits as `decodeCheckpoint`, so every file written here can be read back.
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  validateCheckpoint(c);
  const payload = encodeCheckpointPayload(c);
  const file = v1.CheckpointFile.encode({
    magic: CHECKPOINT_MAGIC,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    payloadCrc32: crc32(payload),
    payload,
  }).finish();
  if (file.length > DEFAULT_CHECKPOINT_LIMITS.maxFileBytes) {
    throw new CheckpointError(
      'too-large',
      `the checkpoint is ${formatBytes(file.length)}, over the ${formatBytes(DEFAULT_CHECKPOINT_LIMITS.maxFileBytes)} readers accept`,
    );
  }
  return ownedBytes(file);
}

// In Node protobufjs returns a Buffer that may be a view into a shared pool;
// callers get a plain Uint8Array that owns its whole ArrayBuffer, so
// `bytes.buffer` is exactly the file.
function ownedBytes(b: Uint8Array): Uint8Array {
  const owned = b.constructor === Uint8Array && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
  return owned ? b : new Uint8Array(b);
}
