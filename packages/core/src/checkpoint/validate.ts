import { CheckpointError } from './checkpoint-error.js';
import { DTYPE_ITEM_SIZE, formatBytes, formatShape } from './format.js';
import { resolveLimits } from './limits.js';
import { ACTIVATIONS, DTYPES, LATENT_PRIORS, LAYER_KINDS, MODEL_FAMILIES, PADDINGS, PIXEL_RANGES, WEIGHT_NORMS, isOneOf } from './proto-enums.js';
import type { Checkpoint, CheckpointLimits, CheckpointTensor, LayerSpec, ModelSpec, TrainingState } from './types.js';

// Validation treats the object as untrusted: it may come from a hostile file
// (decode) or from plain JavaScript that ignored the types (encode). Every check
// reads fields defensively, so a wrong type is a CheckpointError, never a
// TypeError.

const UINT32_MAX = 0xffffffff;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function isUint32(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= UINT32_MAX;
}

function isSafeCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function checkString(x: unknown, where: string, what: string, limits: CheckpointLimits, code: 'bad-spec' | 'bad-tensor' | 'malformed' = 'bad-spec'): void {
  if (typeof x !== 'string') throw new CheckpointError(code, `${what} must be a string, got ${typeof x}`, { where });
  if (x.length > limits.maxNameLength) {
    throw new CheckpointError('too-large', `${what} is ${x.length} characters long; the limit is ${limits.maxNameLength}`, { where });
  }
}

function checkList(x: unknown, where: string, what: string, limits: CheckpointLimits): asserts x is unknown[] {
  if (!Array.isArray(x)) throw new CheckpointError('malformed', `${what} must be an array`, { where });
  if (x.length > limits.maxTensorsPerNetwork) {
    throw new CheckpointError('too-large', `${what} has ${x.length} entries; the limit is ${limits.maxTensorsPerNetwork}`, { where });
  }
}

function checkNumberRecord(x: unknown, where: string, limits: CheckpointLimits): void {
  if (!isRecord(x)) throw new CheckpointError('malformed', 'must be an object of numbers', { where });
  const entries = Object.entries(x);
  if (entries.length > limits.maxTensorsPerNetwork) {
    throw new CheckpointError('too-large', `has ${entries.length} entries; the limit is ${limits.maxTensorsPerNetwork}`, { where });
  }
  for (const [key, value] of entries) {
    if (key.length > limits.maxNameLength) throw new CheckpointError('too-large', `key is ${key.length} characters long`, { where });
    if (typeof value !== 'number') throw new CheckpointError('malformed', `"${key}" must be a number, got ${typeof value}`, { where });
  }
}

/** Element count of a shape, checked against the limits dimension by dimension so it never overflows. */
export function checkedElementCount(shape: unknown, where: string, limits: CheckpointLimits): number {
  if (!Array.isArray(shape)) throw new CheckpointError('bad-tensor', 'shape must be an array of dimensions', { where });
  if (shape.length > limits.maxRank) {
    throw new CheckpointError('too-large', `shape has ${shape.length} dimensions; the limit is ${limits.maxRank}`, { where });
  }
  let count = 1;
  for (const [axis, dim] of shape.entries()) {
    if (!isUint32(dim)) throw new CheckpointError('bad-tensor', `dimension ${axis} is ${String(dim)}, not a non-negative integer`, { where });
    count *= dim;
    if (count > limits.maxTensorElements) {
      throw new CheckpointError('too-large', `shape [${shape.join(', ')}] has more than ${limits.maxTensorElements} elements, the limit per tensor`, { where }
      );
    }
  }
  return count;
}

export function validateTensor(t: unknown, where: string, limits: CheckpointLimits): asserts t is CheckpointTensor {
  if (!isRecord(t)) throw new CheckpointError('bad-tensor', 'a tensor must be an object', { where });
  checkString(t.name, where, 'tensor name', limits, 'bad-tensor');
  if (t.name === '') throw new CheckpointError('bad-tensor', 'tensor has an empty name', { where });
  const count = checkedElementCount(t.shape, where, limits);
  const shape = t.shape as number[];
  if (!isOneOf(DTYPES, t.dtype)) {
    throw new CheckpointError('bad-tensor', `dtype ${JSON.stringify(t.dtype) ?? 'undefined'} is not float32, float16 or int8`, { where });
  }
  if (!(t.data instanceof Uint8Array)) throw new CheckpointError('bad-tensor', 'data must be a Uint8Array', { where });
  const expected = count * DTYPE_ITEM_SIZE[t.dtype];
  if (t.data.length !== expected) {
    const verdict = t.data.length < expected ? 'the data is truncated' : 'the data is longer than the shape says';
    throw new CheckpointError('bad-tensor', `tensor "${t.name}" declares ${formatShape(shape)} ${t.dtype} (${formatBytes(expected)}) but carries ${formatBytes(t.data.length)}: ${verdict}`, { where }
    );
  }
  if (!Array.isArray(t.scale)) throw new CheckpointError('bad-tensor', 'scale must be an array (empty unless int8)', { where });
  for (const s of t.scale) {
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      throw new CheckpointError('bad-tensor', `scale ${String(s)} is not a finite non-negative number`, { where });
    }
  }
  if (t.dtype !== 'int8') {
    if (t.scale.length !== 0 || t.quantAxis !== undefined) {
      throw new CheckpointError('bad-tensor', `a ${t.dtype} tensor carries no scale or quantAxis`, { where });
    }
    return;
  }
  if (t.quantAxis === undefined) {
    if (t.scale.length !== 1) {
      throw new CheckpointError('bad-tensor', `per-tensor int8 needs exactly 1 scale, got ${t.scale.length}`, { where });
    }
    return;
  }
  if (!isUint32(t.quantAxis) || t.quantAxis >= shape.length) {
    throw new CheckpointError('bad-tensor', `quantAxis ${String(t.quantAxis)} is not an axis of shape [${shape.join(', ')}]`, { where });
  }
  const channels = shape[t.quantAxis]!;
  if (t.scale.length !== channels) {
    throw new CheckpointError('bad-tensor', `per-channel int8 on axis ${t.quantAxis} needs ${channels} scales, got ${t.scale.length}`, { where });
  }
}

export function validateTensorList(list: unknown, network: string, limits: CheckpointLimits): asserts list is CheckpointTensor[] {
  checkList(list, network, 'tensor list', limits);
  const seen = new Set<string>();
  list.forEach((t, i) => {
    const name = isRecord(t) && typeof t.name === 'string' ? t.name.slice(0, limits.maxNameLength) : '?';
    const where = `${network}[${i}] "${name}"`;
    validateTensor(t, where, limits);
    if (seen.has(t.name)) throw new CheckpointError('bad-tensor', `tensor name "${t.name}" appears twice in ${network}`, { where });
    seen.add(t.name);
  });
}

function checkLayerSize(layer: Record<string, unknown>, field: string, where: string, required: boolean): void {
  const v = layer[field];
  if (v === undefined && !required) return;
  // 0 is what an unset proto3 field reads as, so it means "not given".
  if (!isUint32(v) || (required && v === 0)) {
    throw new CheckpointError('bad-spec', `${field} must be a positive integer, got ${String(v)}`, { where });
  }
}

function checkLayerFloat(layer: Record<string, unknown>, field: string, where: string): void {
  const v = layer[field];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new CheckpointError('bad-spec', `${field} must be a finite non-negative number, got ${String(v)}`, { where });
  }
}

const KINDS_WITH_UNITS = new Set(['dense', 'conv2d', 'conv2d-transpose', 'minibatch-discrimination']);
const KINDS_WITH_KERNEL = new Set(['conv2d', 'conv2d-transpose']);

export function validateLayers(layers: unknown, network: string, limits: CheckpointLimits): asserts layers is LayerSpec[] {
  checkList(layers, network, 'layer list', limits);
  const names = new Set<string>();
  layers.forEach((layer, i) => {
    if (!isRecord(layer)) throw new CheckpointError('bad-spec', 'a layer must be an object', { where: `${network}[${i}]` });
    const name = typeof layer.name === 'string' ? layer.name.slice(0, limits.maxNameLength) : '?';
    const where = `${network}[${i}] "${name}"`;
    checkString(layer.name, where, 'layer name', limits);
    if (layer.name === '') throw new CheckpointError('bad-spec', 'layer has an empty name', { where });
    if (names.has(layer.name as string)) throw new CheckpointError('bad-spec', `layer name "${name}" appears twice in ${network}`, { where });
    names.add(layer.name as string);
    if (!isOneOf(LAYER_KINDS, layer.kind)) {
      throw new CheckpointError('bad-spec', `layer kind ${JSON.stringify(layer.kind) ?? 'undefined'} is not known`, { where });
    }
    checkLayerSize(layer, 'units', where, KINDS_WITH_UNITS.has(layer.kind));
    checkLayerSize(layer, 'kernelSize', where, KINDS_WITH_KERNEL.has(layer.kind));
    checkLayerSize(layer, 'strides', where, false);
    for (const f of ['rate', 'epsilon', 'momentum']) checkLayerFloat(layer, f, where);
    if (layer.padding !== undefined && !isOneOf(PADDINGS, layer.padding)) {
      throw new CheckpointError('bad-spec', `padding ${JSON.stringify(layer.padding)} is not "same" or "valid"`, { where });
    }
    if (layer.activation !== undefined && !(ACTIVATIONS as readonly unknown[]).includes(layer.activation)) {
      throw new CheckpointError('bad-spec', `activation ${JSON.stringify(layer.activation)} is not one of ${ACTIVATIONS.join(', ')}`, { where });
    }
    if (layer.useBias !== undefined && typeof layer.useBias !== 'boolean') {
      throw new CheckpointError('bad-spec', 'useBias must be a boolean', { where });
    }
    if (layer.weightNorm !== undefined) {
      if (!isOneOf(WEIGHT_NORMS, layer.weightNorm)) {
        throw new CheckpointError('bad-spec', `weightNorm ${JSON.stringify(layer.weightNorm)} is not "fixed-scale" or "trained-scale"`, { where });
      }
      if (layer.kind !== 'dense') throw new CheckpointError('bad-spec', `weightNorm applies to dense layers only, this one is "${layer.kind}"`, { where });
    }
    if (layer.targetShape !== undefined) {
      const shape = layer.targetShape;
      if (!Array.isArray(shape) || shape.length > limits.maxRank || !shape.every((d) => isUint32(d) && d > 0)) {
        throw new CheckpointError('bad-spec', `targetShape must be at most ${limits.maxRank} positive integers`, { where });
      }
    }
    if (layer.kind === 'reshape' && (!Array.isArray(layer.targetShape) || layer.targetShape.length === 0)) {
      throw new CheckpointError('bad-spec', 'a reshape layer needs a targetShape', { where });
    }
  });
}

export function validateSpec(spec: unknown, limits: CheckpointLimits): asserts spec is ModelSpec {
  if (!isRecord(spec)) throw new CheckpointError('missing-field', 'the checkpoint has no model spec', { where: 'spec' });
  if (spec.family === undefined) throw new CheckpointError('missing-field', 'the model family is not set', { where: 'spec.family' });
  if (!isOneOf(MODEL_FAMILIES, spec.family)) {
    throw new CheckpointError('bad-spec', `family ${JSON.stringify(spec.family)} is not vanilla, dcgan, ssgan, classifier or acgan`, { where: 'spec.family' });
  }
  checkString(spec.variant, 'spec.variant', 'variant', limits);
  const isGan = spec.family !== 'classifier';
  if (!isUint32(spec.latentDim) || spec.latentDim > limits.maxTensorElements) {
    throw new CheckpointError('bad-spec', `latent dim ${String(spec.latentDim)} is not a non-negative integer within limits`, { where: 'spec.latentDim' });
  }
  if (isGan && spec.latentDim === 0) throw new CheckpointError('missing-field', 'a GAN needs a positive latent dim', { where: 'spec.latentDim' });
  if (spec.latentPrior === undefined) throw new CheckpointError('missing-field', 'the latent prior is not set', { where: 'spec.latentPrior' });
  if (!isOneOf(LATENT_PRIORS, spec.latentPrior)) {
    throw new CheckpointError('bad-spec', `latent prior ${JSON.stringify(spec.latentPrior)} is not uniform or normal`, { where: 'spec.latentPrior' });
  }
  if (spec.pixelRange === undefined) throw new CheckpointError('missing-field', 'the pixel range is not set', { where: 'spec.pixelRange' });
  if (!isOneOf(PIXEL_RANGES, spec.pixelRange)) {
    throw new CheckpointError('bad-spec', `pixel range ${JSON.stringify(spec.pixelRange)} is not zero-one or minus-one-one`, { where: 'spec.pixelRange' });
  }
  const image = spec.image;
  if (!isRecord(image)) throw new CheckpointError('missing-field', 'the image shape is not set', { where: 'spec.image' });
  for (const dim of ['height', 'width', 'channels']) {
    const v = image[dim];
    if (v === 0 || v === undefined) throw new CheckpointError('missing-field', `image ${dim} is not set`, { where: `spec.image.${dim}` });
    if (!isUint32(v)) throw new CheckpointError('bad-spec', `image ${dim} ${String(v)} is not a positive integer`, { where: `spec.image.${dim}` });
  }
  checkedElementCount([image.height, image.width, image.channels], 'spec.image', limits);
  if (!isUint32(spec.numClasses)) {
    throw new CheckpointError('bad-spec', `numClasses ${String(spec.numClasses)} is not a non-negative integer`, { where: 'spec.numClasses' });
  }
  if ((spec.family === 'ssgan' || spec.family === 'classifier' || spec.family === 'acgan') && spec.numClasses === 0) {
    throw new CheckpointError('bad-spec', `a ${spec.family} model needs numClasses ≥ 1`, { where: 'spec.numClasses' });
  }
  checkList(spec.classNames, 'spec.classNames', 'class names', limits);
  spec.classNames.forEach((n, i) => checkString(n, `spec.classNames[${i}]`, 'class name', limits));
  if (spec.classNames.length !== 0 && spec.classNames.length !== spec.numClasses) {
    throw new CheckpointError('bad-spec', `${spec.classNames.length} class names for ${spec.numClasses} classes`, { where: 'spec.classNames' });
  }
  validateLayers(spec.generatorLayers, 'spec.generatorLayers', limits);
  validateLayers(spec.discriminatorLayers, 'spec.discriminatorLayers', limits);
}

function checkSafeCount(x: unknown, where: string): void {
  if (!isSafeCount(x)) throw new CheckpointError('malformed', `${String(x)} is not a non-negative safe integer`, { where });
}

function validateTraining(training: unknown, limits: CheckpointLimits): asserts training is TrainingState {
  if (!isRecord(training)) throw new CheckpointError('malformed', 'training state must be an object', { where: 'training' });
  checkSafeCount(training.step, 'training.step');
  if (!isUint32(training.epoch)) throw new CheckpointError('malformed', `epoch ${String(training.epoch)} is not a uint32`, { where: 'training.epoch' });
  if (typeof training.configJson !== 'string') throw new CheckpointError('malformed', 'configJson must be a string', { where: 'training.configJson' });
  checkList(training.optimizers, 'training.optimizers', 'optimizer list', limits);
  training.optimizers.forEach((o, i) => {
    const where = `training.optimizers[${i}]`;
    if (!isRecord(o)) throw new CheckpointError('malformed', 'an optimizer state must be an object', { where });
    checkString(o.network, where, 'network', limits, 'malformed');
    checkString(o.kind, where, 'optimizer kind', limits, 'malformed');
    checkSafeCount(o.iterations, `${where}.iterations`);
    checkNumberRecord(o.hyper, `${where}.hyper`, limits);
    validateTensorList(o.slots, `${where}.slots`, limits);
  });
  if (training.rng !== undefined) {
    const rng = training.rng;
    if (!isRecord(rng) || typeof rng.algorithm !== 'string' || !Array.isArray(rng.words) || rng.words.length > 64 || !rng.words.every(isUint32)) {
      throw new CheckpointError('malformed', 'rng state must be an algorithm name and at most 64 uint32 words', { where: 'training.rng' });
    }
    checkString(rng.algorithm, 'training.rng', 'rng algorithm', limits, 'malformed');
  }
  if (training.data !== undefined) {
    const d = training.data;
    if (!isRecord(d)) throw new CheckpointError('malformed', 'data position must be an object', { where: 'training.data' });
    checkString(d.dataset, 'training.data', 'dataset', limits, 'malformed');
    checkString(d.split, 'training.data', 'split', limits, 'malformed');
    checkSafeCount(d.shuffleSeed, 'training.data.shuffleSeed');
    if (!isUint32(d.epoch)) throw new CheckpointError('malformed', `epoch ${String(d.epoch)} is not a uint32`, { where: 'training.data.epoch' });
    checkSafeCount(d.nextIndex, 'training.data.nextIndex');
  }
  validateTensorList(training.extra, 'training.extra', limits);
}

function validateProvenance(p: unknown, limits: CheckpointLimits): void {
  if (!isRecord(p)) throw new CheckpointError('missing-field', 'provenance must be an object', { where: 'provenance' });
  for (const field of ['createdAt', 'forgerVersion', 'backend', 'dataset']) {
    checkString(p[field], `provenance.${field}`, field, limits, 'malformed');
  }
  // The note is free text (a command line), so it is not held to the name limit.
  if (typeof p.note !== 'string') throw new CheckpointError('malformed', 'note must be a string', { where: 'provenance.note' });
  checkNumberRecord(p.metrics, 'provenance.metrics', limits);
}

/**
 * Checks everything a reader relies on: required fields, known enums, tensor
 * shapes against their bytes, quantization scales, limits and unique names.
 * It does not check that the tensors fit the layers; @forger/models does.
 */
export function validateCheckpoint(c: unknown, limits?: Partial<CheckpointLimits>): asserts c is Checkpoint {
  const lim = resolveLimits(limits);
  if (!isRecord(c)) throw new CheckpointError('malformed', 'a checkpoint must be an object');
  validateSpec(c.spec, lim);
  validateTensorList(c.generator, 'generator', lim);
  validateTensorList(c.discriminator, 'discriminator', lim);
  const family = (c.spec as ModelSpec).family;
  if (family !== 'classifier' && c.generator.length === 0) {
    throw new CheckpointError('missing-field', 'the checkpoint has no generator tensors', { where: 'generator' });
  }
  if (family === 'classifier' && c.discriminator.length === 0) {
    throw new CheckpointError('missing-field', 'a classifier checkpoint has no classifier (discriminator) tensors', { where: 'discriminator' });
  }
  if (c.training !== undefined) validateTraining(c.training, lim);
  validateProvenance(c.provenance, lim);
}
