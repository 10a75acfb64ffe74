import type { BackendChoice } from '../backends/index.js';

/** The GAN families `forger train` knows; 'classifier' checkpoints come from the supervised baseline, not from train. */
export type TrainModel = 'vanilla' | 'dcgan' | 'ssgan';
export type OptimizerKind = 'adam' | 'sgd';
export type SslLoss = 'ssgan' | 'improved';

/**
 * Every option of a training run, resolved (defaults applied). Stored as JSON in each checkpoint's
 * training.configJson, so `--resume` can reuse the flags the user does not repeat.
 */
export interface TrainConfig {
  model: TrainModel;
  /** 'mnist', 'cifar10' or the path of an IDX images file (labels beside it) */
  dataset: string;
  dataDir?: string;
  /** The run's total steps (a resumed run counts the steps before it). Derived from --epochs when that was given. */
  steps?: number;
  epochs?: number;
  batchSize: number;
  lr: number;
  beta1: number;
  optimizer: OptimizerKind;
  latentDim: number;
  seed: number;
  out: string;
  checkpointEvery: number;
  sampleEvery: number;
  /** Losses are read back from the device (a sync) only every logEvery steps. */
  logEvery: number;
  backend: BackendChoice;
  quiet: boolean;
  /** one-sided label smoothing: the real target (e.g. 0.9); 0 when off */
  labelSmoothing: number;
  featureMatching: boolean;
  minibatchDiscrimination: boolean;
  /** weight of the historical-averaging penalty; 0 when off */
  historicalAveraging: number;
  sslLoss?: SslLoss;
  labeledCount?: number;
  /** ssgan: generator updates per discriminator update (SSGAN-Tensorflow's update_rate); the family default when absent */
  updateRate?: number;
  /** ssgan only: train the same discriminator network as a plain classifier on the labeled images (issue 6's baseline) */
  supervisedOnly?: boolean;
  /** ssgan: rate of the moving average of the discriminator's weights that `forger eval` classifies with; 0 = off; the loss's default when absent */
  evalAverage?: number;
  /** test-only: multiply the real batch by NaN at this step, to exercise the divergence stop */
  injectNanAtStep?: number;
}

/** The fields that fix the networks' shapes, the data or its order: a resumed run may not change them. */
export const FIXED_ON_RESUME = ['model', 'dataset', 'latentDim', 'seed', 'sslLoss', 'minibatchDiscrimination', 'labeledCount', 'supervisedOnly', 'evalAverage'] as const;
