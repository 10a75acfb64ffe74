import type * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor, ModelSpec, OptimizerState, Rng } from '@forger/core';
import type { Network } from '../network/network.js';

/** How one network's weights are updated. */
export interface OptimizerConfig {
  /** 'adam'; 'momentum' (SGD with momentum, Nesterov optional); 'sgd' (plain). */
  kind: 'adam' | 'momentum' | 'sgd';
  learningRate: number;
  /** Adam. Defaults: β1 0.9, β2 0.999, ε 1e-7 (Keras). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Momentum. Defaults: 0.9, Nesterov. */
  momentum?: number;
  nesterov?: boolean;
}

/** Builds the tf.Optimizer of one network from its config. */
export type OptimizerFactory = (config: OptimizerConfig) => tf.Optimizer;

export interface TrainOptions {
  /**
   * 'adam', or 'sgd' = SGD with Nesterov momentum 0.9 (keras-dcgan). Each
   * family has its default (vanilla: adam, dcgan: sgd, ssgan: adam).
   */
  optimizer?: 'adam' | 'sgd';
  /** Overrides the family default learning rate (of the generator for ssgan, whose D runs at half of it). */
  learningRate?: number;
  beta1?: number;
  /** Builds each network's tf.Optimizer; default tfjs-core's (tf.train.adam / momentum / sgd). */
  optimizerFactory?: OptimizerFactory;
  /** Full control, overriding optimizer/learningRate/beta1 for one network. */
  generatorOptimizer?: OptimizerConfig;
  discriminatorOptimizer?: OptimizerConfig;
  /**
   * Source of dropout masks and Gaussian noise. The caller owns it and saves
   * `rng.state()` in the checkpoint so that a resumed run continues exactly.
   */
  rng?: Rng;
  /** Steps already done (a resumed run): schedules such as SSGAN's annealing continue from it. */
  startStep?: number;

  // Tricks (src/tricks/), all off by default.
  /** One-sided label smoothing: the target of real images, e.g. 0.9 (Salimans et al. 2016 §3.4). 1 = off. */
  realTarget?: number;
  /** Feature matching generator loss (Salimans et al. 2016 §3.1). */
  featureMatching?: boolean;
  /** Weight of the historical-averaging penalty (Salimans et al. 2016 §3.3); 0 = off. */
  historicalAveraging?: number;

  // Semi-supervised families (ssgan/).
  /** 'ssgan' (SSGAN-Tensorflow, n+1 outputs) or 'improved' (Salimans et al. 2016, K outputs). Default from spec.variant. */
  sslLoss?: 'ssgan' | 'improved';
  /** Generator updates per discriminator update (SSGAN-Tensorflow --update_rate, default 2). */
  updateRate?: number;
  /** Clip gradients by global norm (SSGAN-Tensorflow: 20). 0 = off. */
  clipNorm?: number;
  /** SSGAN's reconstruction weight schedule: from `reconstructionWeight` (10) to 0 over `annealSteps` (1500). */
  reconstructionWeight?: number;
  annealSteps?: number;
  /**
   * Rate of the moving average of the discriminator's weights that
   * `forger eval` classifies with (improved-GAN's MNIST code tests with such
   * an average, rate 1e-4 over 180,000 steps); see ParameterAverage. 0 = off.
   * Default: 1e-3 for the 'improved' loss (runs here are ~10× shorter), off
   * for 'ssgan'.
   */
  evaluationAverageRate?: number;
}

/** One training batch. Images NHWC in the spec's pixel range; z [batch, latentDim]. */
export interface TrainBatch {
  real: tf.Tensor;
  z: tf.Tensor;
  /**
   * Integer class labels (int32): of `labeledReal` in a semi-supervised batch, of `real` itself in a conditional
   * (acgan) batch, which has no labeledReal.
   */
  labels?: tf.Tensor;
  /** Conditional (acgan) families: the class asked of each latent vector of `z` (int32 [batch]). */
  fakeLabels?: tf.Tensor;
  /** Labeled images (semi-supervised); `real` is then the unlabeled batch. */
  labeledReal?: tf.Tensor;
}

/**
 * Scalars of one step, as tensors, so that the GPU queue is not drained every
 * step: the caller reads them (`readMetrics`) when it wants, and must dispose
 * them (`disposeMetrics`).
 */
export interface StepMetrics {
  dLoss: tf.Scalar;
  gLoss: tf.Scalar;
  /** mean D(x): the probability D gives real images of being real. */
  dReal: tf.Scalar;
  /** mean D(G(z)). */
  dFake: tf.Scalar;
  [name: string]: tf.Scalar;
}

export interface GanNetworks {
  generator: Network;
  discriminator: Network;
}

export interface GanTrainer {
  readonly spec: ModelSpec;
  readonly generator: Network;
  readonly discriminator: Network;
  /** startStep + the steps this trainer has taken. */
  readonly stepsDone: number;
  /** One discriminator update and one (or updateRate) generator updates. */
  step(batch: TrainBatch): StepMetrics;
  /** Optimizer slots as '<layer>/<param>/<slot>', with iterations and hyper-parameters. */
  optimizerStates(): Promise<OptimizerState[]>;
  /** Restores what optimizerStates() returned, so training continues bit-identically. */
  restoreOptimizerStates(states: OptimizerState[]): Promise<void>;
  /** Other state training needs (historical averages), for TrainingState.extra. */
  extraTensors(): Promise<CheckpointTensor[]>;
  restoreExtraTensors(tensors: CheckpointTensor[]): void;
  /** Disposes the optimizers and trick state; the networks belong to the caller. */
  dispose(): void;
}
