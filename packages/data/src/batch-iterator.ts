import { Rng } from '@forger/core';
import type { DataPosition } from '@forger/core';
import { DataError } from './data-error.js';
import type { Dataset } from './dataset.js';
import { allIndices, checkIndices, datasetLabel, imageByteLength } from './dataset.js';

export interface BatchIteratorOptions {
  batchSize: number;
  /** The shuffle seed: the order of epoch e is a pure function of (seed, e). */
  seed: number;
  /** Skip an epoch's last batch when it would be smaller than `batchSize` (batch norm dislikes tiny batches). Default false. */
  dropLast?: boolean;
  /** Iterate over these examples only (e.g. the unlabeled part of a `labeledSubset`). Default: all. */
  indices?: Uint32Array;
  /** Resume from a position saved by `position()`; it must name the same dataset, split and seed. */
  position?: DataPosition;
  /** false: every epoch in dataset order (evaluation passes). Default true. */
  shuffle?: boolean;
}

export interface Batch {
  /** count × height × width × channels bytes, NHWC; a fresh array that the caller may keep. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  /** The epoch this batch belongs to. */
  epoch: number;
  /** The dataset indices of the batch's examples. */
  indices: Uint32Array;
  /** True for the epoch's last batch: the next batch starts epoch + 1. */
  lastInEpoch: boolean;
}

/**
 * Yields batches for ever, epoch after epoch, each epoch in a fresh seeded order.
 * Its whole state is `position()`: the epoch and the next index into that epoch's
 * order. Because an epoch's order is recomputed from (seed, epoch) rather than
 * drawn from a running stream, a training run restored from a checkpoint sees
 * exactly the batches it would have seen had it never stopped.
 */
export class BatchIterator {
  readonly batchSize: number;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly shuffle: boolean;
  /** Examples per epoch: the dataset's count or `indices.length`. */
  readonly epochSize: number;
  private readonly dataset: Dataset;
  private readonly subset: Uint32Array | undefined;
  private readonly imageBytes: number;
  private epoch: number;
  private nextIndex: number;
  private order: Uint32Array | undefined;
  private orderEpoch = -1;

  constructor(ds: Dataset, opts: BatchIteratorOptions) {
    const { batchSize, seed } = opts;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new DataError('bad-option', 'the batch size must be a positive integer', {
        dataset: datasetLabel(ds),
        expected: 'batchSize ≥ 1',
        found: String(batchSize),
      });
    }
    if (!Number.isSafeInteger(seed)) {
      throw new DataError('bad-option', 'the shuffle seed must be a safe integer', {
        dataset: datasetLabel(ds),
        expected: 'an integer seed',
        found: String(seed),
      });
    }
    this.dataset = ds;
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropLast = opts.dropLast ?? false;
    this.shuffle = opts.shuffle ?? true;
    // A copy: the caller changing its array later must not change saved positions' meaning.
    this.subset = opts.indices === undefined ? undefined : Uint32Array.from(opts.indices);
    this.epochSize = opts.indices?.length ?? ds.count;
    this.imageBytes = imageByteLength(ds.image);
    if (opts.indices !== undefined) checkIndices(ds, opts.indices);
    const smallest = this.dropLast ? batchSize : 1;
    if (this.epochSize < smallest) {
      throw new DataError('bad-option', 'an epoch would yield no batch', {
        dataset: datasetLabel(ds),
        expected: this.dropLast ? `at least ${batchSize} examples with dropLast` : 'at least 1 example',
        found: `${this.epochSize} examples`,
      });
    }
    this.epoch = 0;
    this.nextIndex = 0;
    if (opts.position !== undefined) {
      this.checkPosition(opts.position);
      this.epoch = opts.position.epoch;
      this.nextIndex = opts.position.nextIndex;
      this.rollOverIfEpochDone();
    }
  }

  /** Where the next batch starts; save it in the checkpoint's `TrainingState.data`. */
  position(): DataPosition {
    return {
      dataset: this.dataset.name,
      split: this.dataset.split,
      shuffleSeed: this.seed,
      epoch: this.epoch,
      nextIndex: this.nextIndex,
    };
  }

  /** Batches one epoch yields. */
  get batchesPerEpoch(): number {
    return batchesPerEpoch(this.epochSize, this.batchSize, this.dropLast);
  }

  next(): Batch {
    const order = this.epochOrder(this.epoch);
    const count = Math.min(this.batchSize, this.epochSize - this.nextIndex);
    const size = this.imageBytes;
    const images = new Uint8Array(count * size);
    const labels = new Uint8Array(count);
    const indices = order.slice(this.nextIndex, this.nextIndex + count);
    for (let k = 0; k < count; k++) {
      const example = indices[k]!;
      images.set(this.dataset.images.subarray(example * size, (example + 1) * size), k * size);
      labels[k] = this.dataset.labels[example]!;
    }
    const epoch = this.epoch;
    this.nextIndex += count;
    const lastInEpoch = this.rollOverIfEpochDone();
    return { images, labels, count, epoch, indices, lastInEpoch };
  }

  /** The order of epoch `epoch`: a permutation of the examples, the same for every call with the same seed. */
  epochOrder(epoch: number): Uint32Array {
    if (this.order !== undefined && this.orderEpoch === epoch) return this.order;
    const order = this.subset !== undefined ? Uint32Array.from(this.subset) : allIndices(this.epochSize);
    // One derived stream per epoch, not one running stream: epoch e's order
    // must not depend on how many numbers earlier epochs drew.
    if (this.shuffle) Rng.fromSeed(this.seed).derive(`epoch ${epoch}`).shuffle(order);
    this.order = order;
    this.orderEpoch = epoch;
    return order;
  }

  private rollOverIfEpochDone(): boolean {
    const remaining = this.epochSize - this.nextIndex;
    if (remaining >= (this.dropLast ? this.batchSize : 1)) return false;
    this.epoch += 1;
    this.nextIndex = 0;
    return true;
  }

  private checkPosition(p: DataPosition): void {
    const ds = this.dataset;
    const mismatch = (problem: string, expected: string, found: string): never => {
      throw new DataError('position-mismatch', `the saved data position ${problem}`, { dataset: datasetLabel(ds), expected, found });
    };
    if (p.dataset !== ds.name) mismatch('is for another dataset', `dataset "${ds.name}"`, `"${p.dataset}"`);
    if (p.split !== ds.split) mismatch('is for another split', `split "${ds.split}"`, `"${p.split}"`);
    if (p.shuffleSeed !== this.seed) mismatch('has another shuffle seed', `seed ${this.seed}`, `${p.shuffleSeed}`);
    if (!Number.isSafeInteger(p.epoch) || p.epoch < 0) mismatch('has an invalid epoch', 'an integer ≥ 0', String(p.epoch));
    if (!Number.isSafeInteger(p.nextIndex) || p.nextIndex < 0 || p.nextIndex > this.epochSize) {
      mismatch('is past the end of an epoch', `nextIndex in 0..${this.epochSize}`, String(p.nextIndex));
    }
  }
}

/**
 * Batches one pass over `epochSize` examples yields: with `dropLast` an epoch's ragged last batch is skipped, so a run
 * of --epochs can be counted in steps before its iterator exists (a resumed run's stored length, for one).
 */
export function batchesPerEpoch(epochSize: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(epochSize / batchSize) : Math.ceil(epochSize / batchSize);
}
