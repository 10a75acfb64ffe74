import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkpointTensorToFloat32, float32ToCheckpointTensor, type Checkpoint, type CheckpointTensor, type DataPosition, type ModelSpec } from '@forger/core';
import { BatchIterator, batchesPerEpoch, labeledSubset, toFloatBatch, type Batch, type Dataset } from '@forger/data';
import { latentBatch, type TrainBatch } from '@forger/models';
import type { TrainConfig } from './train-config.js';

/** Where the labeled stream of a semi-supervised run stands: [epoch, nextIndex], in TrainingState.extra. */
export const LABELED_POSITION_TENSOR = 'labeled_data_position';

/** One step's data as bytes; `toTensors` turns it into the trainer's batch (and draws z from the run's Rng). */
export interface TrainingBatch {
  epoch: number;
  toTensors(spec: ModelSpec, rng: Rng): TrainBatch;
}

/**
 * The batches of a run. Every family reads the whole training set in seeded, resumable order (an epoch is one pass
 * over it); a semi-supervised run with --labeled-count also cycles a second, small stream over its labeled subset
 * (balanced over classes, chosen by the seed), as improved-GAN does with its 100 labels.
 */
/** Batch norm and minibatch features dislike a ragged last batch; an epoch loses < one batch of images. */
const DROP_RAGGED_BATCH = true;

export class TrainingData {
  private readonly images: BatchIterator;
  private readonly labeled: BatchIterator | undefined;
  private readonly labeledSeed: number;
  /** a semi-supervised run without --labeled-count: every image is labeled, the batch is its own labeled batch */
  private readonly allLabeled: boolean;
  /** a conditional (acgan) run: each batch carries its images' classes and the classes asked of the generator */
  private readonly conditional: boolean;

  constructor(dataset: Dataset, config: TrainConfig, resumed?: Checkpoint) {
    const position = resumed?.training?.data;
    this.images = new BatchIterator(dataset, {
      batchSize: config.batchSize,
      seed: config.seed,
      dropLast: DROP_RAGGED_BATCH,
      ...(position ? { position } : {}),
    });
    this.labeledSeed = Rng.fromSeed(config.seed).derive('labeled-order').nextUint32();
    this.allLabeled = config.model === 'ssgan' && config.labeledCount === undefined;
    this.conditional = config.model === 'acgan';
    if (config.model === 'ssgan' && config.labeledCount !== undefined) {
      const subset = labeledSubset(dataset, { labeledCount: config.labeledCount, seed: config.seed });
      const saved = resumed?.training?.extra.find((t) => t.name === LABELED_POSITION_TENSOR);
      const labeledPosition: DataPosition | undefined = saved
        ? (() => {
            const [epoch, nextIndex] = checkpointTensorToFloat32(saved);
            return { dataset: dataset.name, split: dataset.split, shuffleSeed: this.labeledSeed, epoch: epoch!, nextIndex: nextIndex! };
          })()
        : undefined;
      this.labeled = new BatchIterator(dataset, {
        batchSize: Math.min(config.batchSize, subset.labeled.length),
        seed: this.labeledSeed,
        indices: subset.labeled,
        dropLast: true,
        ...(labeledPosition ? { position: labeledPosition } : {}),
      });
    }
  }

  get batchesPerEpoch(): number {
    return this.images.batchesPerEpoch;
  }

  /** The batches an epoch of `imageCount` images would yield at `batchSize`, with no data loaded (a stored run's). */
  static batchesPerEpoch(imageCount: number, batchSize: number): number {
    return batchesPerEpoch(imageCount, batchSize, DROP_RAGGED_BATCH);
  }

  /** The epoch the next batch belongs to. */
  get epoch(): number {
    return this.images.position().epoch;
  }

  position(): DataPosition {
    return this.images.position();
  }

  /** The labeled stream's position ([epoch, nextIndex]: both far below 2^24, exact in float32). */
  extraTensors(): CheckpointTensor[] {
    if (!this.labeled) return [];
    const p = this.labeled.position();
    return [float32ToCheckpointTensor(LABELED_POSITION_TENSOR, [2], new Float32Array([p.epoch, p.nextIndex]))];
  }

  /** `poison`: the test hook of --inject-nan-at-step, a batch of NaN pixels. */
  next(poison = false): TrainingBatch {
    const batch = this.images.next();
    const labeledBatch = this.labeled?.next();
    const allLabeled = this.allLabeled;
    const conditional = this.conditional;
    return {
      epoch: batch.epoch,
      toTensors(spec: ModelSpec, rng: Rng): TrainBatch {
        const real = imagesTensor(batch, spec, poison);
        const z = latentBatch(spec, batch.count, rng);
        if (labeledBatch) {
          return { real, z, labeledReal: imagesTensor(labeledBatch, spec, false), labels: tf.tensor1d(labeledBatch.labels, 'int32') };
        }
        if (allLabeled) return { real, z, labeledReal: real, labels: tf.tensor1d(batch.labels, 'int32') };
        if (conditional) return { real, z, labels: tf.tensor1d(batch.labels, 'int32'), fakeLabels: tf.tensor1d(requestedClasses(spec, batch.count, rng), 'int32') };
        return { real, z };
      },
    };
  }
}

function imagesTensor(batch: Batch, spec: ModelSpec, poison: boolean): tf.Tensor4D {
  const values = toFloatBatch(batch.images, spec.pixelRange);
  if (poison) values.fill(Number.NaN);
  return tf.tensor4d(values, [batch.count, spec.image.height, spec.image.width, spec.image.channels]);
}

/**
 * The classes asked of the generator in a conditional step: uniform over the spec's classes, as tfjs-examples'
 * mnist-acgan samples them (tf.randomUniform([batchSize, 1], 0, NUM_CLASSES, 'int32')). Drawn from the run's Rng
 * after z, so a resumed run asks for the same classes as an uninterrupted one.
 */
function requestedClasses(spec: ModelSpec, count: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: count }, () => rng.int(spec.numClasses));
}
