import type { ImageShape } from '@forger/core';
import type { Dataset } from '@forger/data';
import type { TrainConfig } from '../run/train-config.js';
import { RunError } from '../run/run-error.js';
import { UsageError } from './usage-error.js';

/**
 * Limits on the numbers a user types, checked before anything is allocated (issue 18, finding 12: `--latent-dim
 * 1000000` aborted wasm after 20 s at 4.3 GB, `--batch-size 60000` took 3.4 GB, `generate --count 100000000` threw a
 * RangeError). Each is derived from one bound: no single buffer that a flag sizes may exceed MEMORY_BOUND_BYTES.
 * README.md ("Limits") lists them.
 */
export const MEMORY_BOUND_BYTES = 2 ** 30;
const FLOAT32_BYTES = 4;

/** The widest first generator layer of Forger's families: keras-dcgan's Dense 1024 (vanilla: 128). */
const WIDEST_FIRST_LAYER = 1024;
/** Training holds each weight 4 times: the weight, its gradient and Adam's two moments. */
const COPIES_IN_TRAINING = 4;
/** The first generator layer's kernel is latent × units: with its copies in training it stays within the bound. */
export const MAX_LATENT_DIM = MEMORY_BOUND_BYTES / (WIDEST_FIRST_LAYER * FLOAT32_BYTES * COPIES_IN_TRAINING);

/** The largest activation of a training step, per image, as a multiple of its pixels: DCGAN's 64-filter convolution at full resolution. */
const WIDEST_ACTIVATION_CHANNELS = 64;

/** The most images per step for images of `image`: one batch of the widest activation fits the bound. */
export function maxBatchSize(image: ImageShape): number {
  return Math.max(1, Math.floor(MEMORY_BOUND_BYTES / (image.height * image.width * WIDEST_ACTIVATION_CHANNELS * FLOAT32_BYTES)));
}

/** The most images `forger generate` draws at once: their float32 pixels (and their latent vectors) fit the bound. */
export function maxGenerateCount(image: ImageShape, latentDim: number): number {
  const perImage = Math.max(image.height * image.width * image.channels, latentDim) * FLOAT32_BYTES;
  return Math.max(1, Math.floor(MEMORY_BOUND_BYTES / perImage));
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The flags alone: checked before a dataset is loaded or a file written. */
export function checkTrainFlagLimits(config: TrainConfig): void {
  if (config.latentDim > MAX_LATENT_DIM) {
    throw new UsageError('usage', `--latent-dim ${config.latentDim} is too large: at most ${count(MAX_LATENT_DIM)} (the first generator layer, trained with Adam, must fit in 1 GiB)`, { where: '--latent-dim' });
  }
}

/** The flags against the dataset's images and classes: checked after the dataset is loaded, before a file is written. */
export function checkTrainDataLimits(config: TrainConfig, dataset: Dataset): void {
  const { image } = dataset;
  const maxBatch = maxBatchSize(image);
  if (config.batchSize > maxBatch) {
    throw new UsageError('usage', `--batch-size ${config.batchSize} is too large for ${image.height}×${image.width} images: at most ${count(maxBatch)} (one step's largest activation, 64 channels per pixel, must fit in 1 GiB)`, { where: '--batch-size' });
  }
  if (config.model === 'ssgan' && config.labeledCount !== undefined && config.labeledCount < dataset.numClasses) {
    throw new UsageError('usage', `--labeled-count ${config.labeledCount} is fewer than the ${dataset.numClasses} classes of ${config.dataset}: the labeled images are balanced over classes, so give at least one per class`, { where: '--labeled-count' });
  }
  if (config.model === 'vanilla' && config.hiddenUnits !== undefined) {
    // G's layers run z → hidden… → pixels, D's the mirror; a kernel joins two neighbours of this chain. Of the hidden
    // layers in a kernel too large, the widest is named, with its limit against the wider of its own neighbours.
    const hidden = config.hiddenUnits;
    const chain = [config.latentDim, ...hidden, image.height * image.width * image.channels];
    const maxAgainst = (across: number): number => Math.floor(MEMORY_BOUND_BYTES / (across * FLOAT32_BYTES * COPIES_IN_TRAINING));
    // whole units: units > ⌊bound / across⌋ exactly when units × across is over the bound
    const oversized = hidden
      .map((units, i) => ({ units, i, max: maxAgainst(Math.max(chain[i]!, chain[i + 2]!)) }))
      .filter(({ units, max }) => units > max);
    const widest = oversized.sort((a, b) => b.units - a.units)[0];
    if (widest) {
      const which = hidden.length === 1 ? '' : ` in hidden layer ${widest.i + 1}`;
      throw new UsageError('usage', `--hidden-units ${hidden.join(',')} is too large for ${image.height}×${image.width}×${image.channels} images: at most ${count(widest.max)}${which} (the widest kernel, trained with Adam, must fit in 1 GiB)`, { where: '--hidden-units' });
    }
  }
  checkDrawableChannels(image, `--dataset ${config.dataset}`, config.dataset);
}

/**
 * Sample grids draw grey, RGB or RGBA images (tileImages): a 2-channel dataset trained for hours and then failed on
 * the final grid (issue 18, finding 8). Refused before anything runs; `what` names the dataset or checkpoint.
 */
export function checkDrawableChannels(image: ImageShape, what: string, where: string): void {
  if (![1, 3, 4].includes(image.channels)) {
    throw new RunError('bad-data', `${what} has ${image.channels}-channel images; forger draws 1 (grey), 3 (RGB) or 4 (RGBA) channels`, { where });
  }
}

/** `forger generate --count`: the images (×20 with --nice) fit the bound. */
export function checkGenerateCount(requested: number, oversampling: number, image: ImageShape, latentDim: number): void {
  const max = Math.floor(maxGenerateCount(image, latentDim) / oversampling);
  if (requested > max) {
    throw new UsageError('usage', `--count ${requested} is too large for ${image.height}×${image.width}×${image.channels} images: at most ${count(max)}${oversampling > 1 ? ` with --nice` : ''} (the drawn images must fit in 1 GiB)`, { where: '--count' });
  }
}
