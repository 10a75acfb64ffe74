import { isNamedDataset } from '@forger/data/node';
import type { OptimizerKind, SslLoss, TrainModel } from '../run/train-config.js';

/** Per-family defaults, each from the recipe the family reproduces. */
export interface FamilyDefaults {
  batchSize: number;
  optimizer: OptimizerKind;
  lr: Record<OptimizerKind, number>;
  beta1: number;
  /** run length when neither --steps nor --epochs is given */
  steps: number;
  checkpointEvery: number;
  sampleEvery: number;
  logEvery: number;
}

/** The recipes with their own defaults: the three families, and ssgan's two losses apart. */
export type Recipe = 'vanilla' | 'dcgan' | 'ssgan' | 'improved';

export function recipeOf(model: TrainModel, sslLoss: SslLoss | undefined): Recipe {
  return model === 'ssgan' && sslLoss === 'improved' ? 'improved' : model;
}

export const TRAIN_DEFAULTS: Record<Recipe, FamilyDefaults> = {
  // the classic TensorFlow vanilla GAN: mb_size 128, tf.train.AdamOptimizer() defaults (lr 1e-3, β1 0.9).
  // 10,000 steps (21 epochs of MNIST; digits are legible from about 4,000) take about 2 minutes at wasm's
  // ~10,000 img/s on a quiet 2-core machine, and stayed under 10 minutes with the machine loaded 4× over (README).
  vanilla: {
    batchSize: 128, optimizer: 'adam', lr: { adam: 1e-3, sgd: 1e-3 }, beta1: 0.9,
    steps: 10000, checkpointEvery: 2000, sampleEvery: 1000, logEvery: 100,
  },
  // keras-dcgan: BATCH_SIZE 128 and SGD lr 0.0005, momentum 0.9, Nesterov; --optimizer adam: 2e-4, β1 0.5 (Radford et al. 2015).
  dcgan: {
    batchSize: 128, optimizer: 'sgd', lr: { adam: 2e-4, sgd: 5e-4 }, beta1: 0.5,
    steps: 469, checkpointEvery: 100, sampleEvery: 100, logEvery: 10,
  },
  // SSGAN-Tensorflow: Adam β1 0.5, G at 2e-4 (D at half, set by @forger/models), batch 64; Adam only.
  ssgan: {
    batchSize: 64, optimizer: 'adam', lr: { adam: 2e-4, sgd: 2e-4 }, beta1: 0.5,
    steps: 3000, checkpointEvery: 500, sampleEvery: 500, logEvery: 50,
  },
  // improved-GAN's MNIST setting (openai/improved-gan train_mnist_feature_matching.py): batch 100, Adam 3e-3, β1 0.5.
  improved: {
    batchSize: 100, optimizer: 'adam', lr: { adam: 3e-3, sgd: 3e-3 }, beta1: 0.5,
    steps: 3000, checkpointEvery: 500, sampleEvery: 500, logEvery: 50,
  },
};

export const DEFAULT_LATENT_DIM = 100;
export const DEFAULT_SEED = 42;
export const DEFAULT_DATASET = 'mnist';
/** Salimans et al. 2016: one-sided label smoothing with a real target of 0.9. */
export const DEFAULT_LABEL_SMOOTHING = 0.9;
/** Salimans et al. 2016 leave the weight free; 1 is the scale of their released code's penalty. */
export const DEFAULT_HISTORICAL_AVERAGING = 1;

export function defaultOut(model: TrainModel, dataset: string): string {
  const name = isNamedDataset(dataset) ? dataset : 'custom';
  return `runs/${name}-${model}`;
}
