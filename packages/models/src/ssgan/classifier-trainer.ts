import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor, ModelSpec, OptimizerState, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import { initializeBeforeFirstStep } from '../training/data-initialization.js';
import { NetworkOptimizer } from '../training/network-optimizer.js';
import { evaluationAverageFor, type ParameterAverage } from '../training/parameter-average.js';
import type { OptimizerConfig } from '../training/types.js';
import { softmaxCrossEntropy } from './ssgan-losses.js';

export interface ClassifierTrainOptions {
  /** Default: Adam 2e-4, β1 0.5 (the semi-supervised discriminator's). */
  optimizer?: OptimizerConfig;
  /** Dropout / noise layers draw from it; the caller saves its state. */
  rng?: Rng;
  startStep?: number;
  /** The GAN loss whose network this baseline trains: its defaults apply (evaluation average for 'improved'). */
  sslLoss?: 'ssgan' | 'improved';
  /** As TrainOptions.evaluationAverageRate, so the baseline is scored the way its GAN is. */
  evaluationAverageRate?: number;
}

/**
 * The supervised baseline: the semi-supervised family's discriminator network
 * trained with softmax cross-entropy on the labeled images only, so the gain
 * from the GAN is measured, not assumed. Only the first numClasses outputs
 * are trained (an SSGAN network's "generated" output is left out).
 */
export class ClassifierTrainer {
  private readonly optimizer: NetworkOptimizer;
  private readonly rng: Rng | undefined;
  private readonly evaluationAverage: ParameterAverage | undefined;
  private steps: number;

  constructor(
    readonly spec: ModelSpec,
    readonly classifier: Network,
    options: ClassifierTrainOptions = {},
  ) {
    if (spec.numClasses <= 0) throw new ModelError('bad-spec', `a classifier needs numClasses ≥ 1, spec "${spec.variant}" has ${spec.numClasses}`);
    this.optimizer = new NetworkOptimizer(classifier, 'discriminator', options.optimizer ?? { kind: 'adam', learningRate: 2e-4, beta1: 0.5, beta2: 0.999 });
    this.rng = options.rng;
    this.steps = options.startStep ?? 0;
    this.evaluationAverage = evaluationAverageFor(classifier, options.sslLoss, options.evaluationAverageRate);
  }

  get stepsDone(): number {
    return this.steps;
  }

  /** One update on labeled images; returns the loss and the batch accuracy (the caller disposes them). */
  step(batch: { labeledReal: tf.Tensor; labels: tf.Tensor }): { loss: tf.Scalar; accuracy: tf.Scalar } {
    const n = this.spec.numClasses;
    initializeBeforeFirstStep(this.classifier, this.steps, batch.labeledReal, this.rng); // the first labeled batch
    const result = tf.tidy(() => {
      const labels = tf.cast(batch.labels, 'int32') as tf.Tensor1D;
      const oneHot = tf.cast(tf.oneHot(labels, n), 'float32');
      let accuracy: tf.Scalar | undefined;
      const { loss } = this.optimizer.minimize(() => {
        const logits = tf.slice(this.classifier.apply(batch.labeledReal, { training: true, rng: this.rng }), [0, 0], [-1, n]);
        accuracy = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'))) as tf.Scalar;
        return tf.mean(softmaxCrossEntropy(oneHot, logits));
      });
      this.evaluationAverage?.update();
      return { loss, accuracy: accuracy! };
    });
    this.steps++;
    return result;
  }

  async optimizerStates(): Promise<OptimizerState[]> {
    return [await this.optimizer.state()];
  }

  async restoreOptimizerStates(states: OptimizerState[]): Promise<void> {
    const state = states.find((s) => s.network === 'discriminator');
    if (!state) throw new ModelError('bad-optimizer-state', 'optimizer states lack the classifier\'s (network "discriminator")');
    await this.optimizer.restore(state);
  }

  /** The evaluation average, for TrainingState.extra. */
  async extraTensors(): Promise<CheckpointTensor[]> {
    return (await this.evaluationAverage?.toCheckpointTensors()) ?? [];
  }

  restoreExtraTensors(tensors: CheckpointTensor[]): void {
    this.evaluationAverage?.restore(tensors, 'the evaluation average (evaluationAverageRate)');
  }

  dispose(): void {
    this.evaluationAverage?.dispose();
    this.optimizer.dispose();
  }
}
