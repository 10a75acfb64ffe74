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
   * An optimizer for one network (the chapter: Adam for G, SGD for D), else `optimizer`. A network whose optimizer
   * differs from `optimizer` takes its family's default rate for that optimizer, not `learningRate`, unless its own
   * rate is given below (training/network-optimizers.ts).
   */
  generatorOptimizerKind?: 'adam' | 'sgd';
  discriminatorOptimizerKind?: 'adam' | 'sgd';
  /** A learning rate for one network, overriding `learningRate` (ssgan: D's then no longer follows G's at half). */
  generatorLearningRate?: number;
  discriminatorLearningRate?: number;
  /**
   * Source of dropout masks and Gaussian noise. The caller owns it and saves
   * `rng.state()` in the checkpoint so that a resumed run continues exactly.
   */
  rng?: Rng;
  /** Steps already done (a resumed run): schedules such as SSGAN's annealing continue from it. */
  startStep?: number;
  /**
   * Linear learning-rate decay: step s (counted from 0, startStep included) updates both networks at (1 − s/T) of
   * their rates, so the rates fall in a straight line to 0 at step T; the last step of a T-step run updates at 1/T
   * of them, and steps past T not at all. Give the run's length. Absent: constant rates.
   */
  learningRateDecaySteps?: number;

  // Tricks (src/tricks/), all off by default.
  /** One-sided label smoothing: the target of real images, e.g. 0.9 (Salimans et al. 2016 §3.4). 1 = off. */
  realTarget?: number;
  /**
   * The target of generated images: 0.1 with realTarget 0.9 is the two-sided smoothing the chapter quotes
   * (Salimans et al. 2016 §3.4 discuss, and advise against, smoothing this side). Default 0; ssgan's loss keeps
   * SSGAN-Tensorflow's 0.1 (its 0.9 on "generated").
   */
  fakeTarget?: number;
  /** Feature matching generator loss (Salimans et al. 2016 §3.1). */
  featureMatching?: boolean;
  /** Weight of the historical-averaging penalty (Salimans et al. 2016 §3.3); 0 = off. */
  historicalAveraging?: number;
  /**
   * How D's batch norm (and minibatch discrimination) sees a step's images: 'separate' (the default) runs an
   * all-real and an all-generated batch, each with its own statistics, as DCGAN and Salimans et al. 2016 do;
   * 'mixed' runs one batch of both stacked. A D that looks across no batch runs one stacked batch either way.
   */
  batchNormBatches?: 'separate' | 'mixed';
  /**
   * Historical averaging over the last t steps, "(1/t) Σᵢ θ[i]" over past t as Salimans et al. 2016 §3.3 define it
   * (a ring buffer of t snapshots, saved in the checkpoint); absent = the cumulative mean of every step so far.
   * Needs historicalAveraging > 0.
   */
  historicalWindow?: number;
  /**
   * The loss-threshold schedule (ganhacks tip 11, quoted by the chapter: "while lossD > A: train D; while
   * lossG > B: train G"): a network is updated while its loss on the step's batch is above its threshold, 0 to
   * maxUpdatesPerStep times. Reads the losses back every update: the trainer's step is then stepAsync
   * (readsLossesEachStep). The metrics gain dUpdates and gUpdates. Off when neither threshold is set.
   */
  dLossThreshold?: number;
  gLossThreshold?: number;
  /** The cap on each network's updates per step under the schedule (default 5). */
  maxUpdatesPerStep?: number;

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
  /**
   * Rate of the moving average of the generator's weights that samples are drawn from (Yazıcı et al. 2019;
   * training/generator-average.ts): GanTrainer.withSamplingWeights lends them, and a checkpoint's generator tensors
   * are them (samplingForm). A ParameterAverage: the plain mean while fewer than 1/rate steps, then an EMA. 0 or
   * absent = off: samples come from the trained weights.
   */
  generatorAverageRate?: number;
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
  /** The rates of the next step's updates (each network's rate, under TrainOptions.learningRateDecaySteps decayed). */
  readonly learningRates: { generator: number; discriminator: number };
  /** One discriminator update and one (or updateRate) generator updates. Throws under a loss-threshold schedule: use stepAsync. */
  step(batch: TrainBatch): StepMetrics;
  /** True under a loss-threshold schedule (TrainOptions.dLossThreshold/gLossThreshold): steps read losses back, call stepAsync. */
  readonly readsLossesEachStep: boolean;
  /**
   * One step, on every backend: step() when the run has no schedule, else the scheduled updates, reading each
   * loss back asynchronously. The caller keeps the batch and disposes it.
   */
  stepAsync(batch: TrainBatch): Promise<StepMetrics>;
  /** Optimizer slots as '<layer>/<param>/<slot>', with iterations and hyper-parameters. */
  optimizerStates(): Promise<OptimizerState[]>;
  /** Restores what optimizerStates() returned, so training continues bit-identically. */
  restoreOptimizerStates(states: OptimizerState[]): Promise<void>;
  /**
   * Runs `draw` with the generator holding the weights samples are drawn from: the generator average's when
   * TrainOptions.generatorAverageRate is on, with batch-norm statistics estimated for them (once per step: a second
   * lending at the same step reuses them; the trained weights and statistics are put back after), else the trained
   * weights.
   */
  withSamplingWeights<T>(draw: (generator: Network) => Promise<T>): Promise<T>;
  /** Other state training needs (historical averages, the generator average), for TrainingState.extra. */
  extraTensors(): Promise<CheckpointTensor[]>;
  restoreExtraTensors(tensors: CheckpointTensor[]): void;
  /** Disposes the optimizers and trick state; the networks belong to the caller. */
  dispose(): void;
}
