import { CheckpointError } from './checkpoint-error.js';
import type { CheckpointLimits } from './types.js';

// A pass over the payload's protobuf wire bytes that counts repeated fields and
// measures strings BEFORE protobufjs builds any object. Without it a hostile
// file of a few hundred MB could make the parser allocate millions of tensor
// objects or a shape array of 100 million entries before validation sees it.
// The walk allocates nothing and follows only the schema's message fields, so
// its depth is bounded by the schema (4 levels), not by the input.

type CountLimit = 'list' | 'rank' | 'elements' | 'rngWords';

interface FieldRule {
  /** Repeated field: how many entries it may have in one message. */
  count?: CountLimit;
  /** Packed scalar encoding, to count the elements inside one length-delimited run. */
  packed?: 'varint' | 'fixed32';
  /** A string the reader holds to the name-length limit. */
  name?: true;
  /** A nested message to descend into. */
  message?: MessageRules;
  /** The field's name, for error messages. */
  label?: string;
}

type MessageRules = { readonly [field: number]: FieldRule };

// Tensor field numbers (proto/forger/v1/checkpoint.proto, message Tensor).
const TENSOR_SHAPE = 2;
const TENSOR_SCALE = 5;
const TENSOR_QUANT_AXIS = 6;

const tensorRules: MessageRules = {
  1: { name: true },
  2: { count: 'rank', packed: 'varint', label: 'shape' },
  5: { count: 'elements', packed: 'fixed32', label: 'scale' },
};
const layerRules: MessageRules = { 2: { name: true }, 7: { name: true }, 9: { count: 'rank', packed: 'varint', label: 'targetShape' } };
const specRules: MessageRules = {
  2: { name: true },
  5: { message: {}, label: 'image' },
  8: { count: 'list', message: layerRules, label: 'generatorLayers' },
  9: { count: 'list', message: layerRules, label: 'discriminatorLayers' },
  10: { count: 'list', name: true, label: 'classNames' },
};
const optimizerRules: MessageRules = {
  1: { name: true },
  2: { name: true },
  4: { count: 'list', label: 'hyper' },
  5: { count: 'list', message: tensorRules, label: 'slots' },
};
const trainingRules: MessageRules = {
  3: { count: 'list', message: optimizerRules, label: 'optimizers' },
  4: { message: { 1: { name: true }, 2: { count: 'rngWords', packed: 'varint', label: 'words' } }, label: 'rng' },
  5: { message: { 1: { name: true }, 2: { name: true } }, label: 'data' },
  7: { count: 'list', message: tensorRules, label: 'extra' },
};
const provenanceRules: MessageRules = { 1: { name: true }, 2: { name: true }, 3: { name: true }, 4: { name: true }, 5: { count: 'list', label: 'metrics' } };
const checkpointRules: MessageRules = {
  1: { message: specRules, label: 'spec' },
  2: { count: 'list', message: tensorRules, label: 'generator' },
  3: { count: 'list', message: tensorRules, label: 'discriminator' },
  4: { message: trainingRules, label: 'training' },
  5: { message: provenanceRules, label: 'provenance' },
};

class WireCursor {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  varint(end: number): number {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw new CheckpointError('malformed', `varint runs past the end of its message at byte ${this.pos}`, { where: 'payload' });
      const b = this.bytes[this.pos++]!;
      value += (b & 0x7f) * factor;
      if ((b & 0x80) === 0) return value;
      factor *= 128;
    }
    throw new CheckpointError('malformed', `varint longer than 10 bytes at byte ${this.pos}`, { where: 'payload' });
  }

  skip(n: number, end: number): void {
    if (n > end - this.pos) throw new CheckpointError('malformed', `field of ${n} bytes runs past the end of its message at byte ${this.pos}`, { where: 'payload' });
    this.pos += n;
  }
}

function limitOf(kind: CountLimit, limits: CheckpointLimits): number {
  switch (kind) {
    case 'list':
      return limits.maxTensorsPerNetwork;
    case 'rank':
      return limits.maxRank;
    case 'elements':
      return limits.maxTensorElements;
    case 'rngWords':
      return 64;
  }
}

function countPacked(bytes: Uint8Array, start: number, end: number, packed: 'varint' | 'fixed32'): number {
  if (packed === 'fixed32') return Math.floor((end - start) / 4);
  let n = 0;
  for (let i = start; i < end; i++) if ((bytes[i]! & 0x80) === 0) n++;
  return n;
}

/**
 * What a Tensor message declares about its int8 scales: its shape, quant axis and number of scales. protobufjs turns
 * each scale into a JS number in an array, ~4× the bytes on the wire and more, so a file of a few hundred MB of
 * scales on a 4×4 tensor cost 3.7 GB and 20 s before validation said `bad-tensor` (issue 18). A tensor has one scale,
 * or one per index of its quant axis: more is refused here, before protobufjs allocates them.
 */
class TensorScales {
  readonly dims: number[] = [];
  quantAxis: number | undefined;
  scales = 0;

  addDim(value: number, limits: CheckpointLimits): void {
    // More dims than the rank limit fail the count rule; keep the array bounded meanwhile.
    if (this.dims.length <= limits.maxRank) this.dims.push(value);
  }

  check(where: string): void {
    const axis = this.quantAxis;
    const channels = axis !== undefined && axis < this.dims.length ? this.dims[axis]! : 1;
    if (this.scales > channels) {
      const what = axis !== undefined && axis < this.dims.length ? `${channels} channel${channels === 1 ? '' : 's'} on quant axis ${axis} of shape [${this.dims.join(', ')}]` : 'one per-tensor scale';
      throw new CheckpointError('too-large', `the tensor carries ${this.scales} int8 scales, more than its ${what}: refused before decoding them`, { where });
    }
  }
}

function scanMessage(cur: WireCursor, end: number, rules: MessageRules, where: string, limits: CheckpointLimits): void {
  const counts = new Map<number, number>();
  const tensor = rules === tensorRules ? new TensorScales() : undefined;
  while (cur.pos < end) {
    const tag = cur.varint(end);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new CheckpointError('malformed', `field number 0 at byte ${cur.pos}`, { where });
    const rule = rules[field];
    let added = 1;
    switch (wireType) {
      case 0: {
        const value = cur.varint(end);
        if (tensor && field === TENSOR_SHAPE) tensor.addDim(value, limits);
        if (tensor && field === TENSOR_QUANT_AXIS) tensor.quantAxis = value;
        break;
      }
      case 1:
        cur.skip(8, end);
        break;
      case 5:
        cur.skip(4, end);
        if (tensor && field === TENSOR_SCALE) tensor.scales++;
        break;
      case 2: {
        const length = cur.varint(end);
        const start = cur.pos;
        cur.skip(length, end);
        if (rule?.name && length > 3 * limits.maxNameLength) {
          throw new CheckpointError('too-large', `a name of ${length} bytes exceeds the limit of ${limits.maxNameLength} characters`, { where });
        }
        if (rule?.packed) added = countPacked(cur.bytes, start, start + length, rule.packed);
        if (tensor && field === TENSOR_SCALE) tensor.scales += added;
        if (tensor && field === TENSOR_SHAPE && added <= limits.maxRank) {
          const resume = cur.pos;
          cur.pos = start;
          while (cur.pos < start + length) tensor.addDim(cur.varint(start + length), limits);
          cur.pos = resume;
        }
        if (rule?.message) {
          const name = rule.label ?? `field ${field}`;
          const index = rule.count === 'list' ? `[${counts.get(field) ?? 0}]` : '';
          const inner = `${where === 'payload' ? '' : `${where}.`}${name}${index}`;
          const resume = cur.pos;
          cur.pos = start;
          scanMessage(cur, start + length, rule.message, inner, limits);
          cur.pos = resume;
        }
        break;
      }
      default:
        throw new CheckpointError('malformed', `wire type ${wireType} (field ${field}) is not used by Forger at byte ${cur.pos}`, { where });
    }
    if (rule?.count) {
      const n = (counts.get(field) ?? 0) + added;
      counts.set(field, n);
      const max = limitOf(rule.count, limits);
      if (n > max) throw new CheckpointError('too-large', `${rule.label ?? `field ${field}`} has more than ${max} entries, the limit`, { where });
    }
  }
  tensor?.check(where);
}

/** Throws CheckpointError('too-large' | 'malformed') if the payload declares more than the limits allow. */
export function scanPayloadLimits(payload: Uint8Array, limits: CheckpointLimits): void {
  const cur = new WireCursor(payload);
  scanMessage(cur, payload.length, checkpointRules, 'payload', limits);
}
