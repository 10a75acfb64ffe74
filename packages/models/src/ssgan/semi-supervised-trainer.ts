import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor, ModelSpec, OptimizerState, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import { featureMatchingLoss } from '../tricks/feature-matching.js';
import { restoreBoth } from '../training/adversarial-trainer.js';
import { checkBatchShapes } from '../training/batch-checks.js';
import { initializeBeforeFirstStep } from '../training/data-initialization.js';
import { NetworkOptimizer } from '../training/network-optimizer.js';
import { evaluationAverageFor, type ParameterAverage } from '../training/parameter-average.js';
import type { GanNetworks, GanTrainer, StepMetrics, TrainBatch, TrainOptions } from '../training/types.js';
import { labeledLoss, realScore, unlabeledLoss } from './improved-gan-losses.js';
import { logProbabilityReal, reconstructionWeight, ssganDiscriminatorTerms, ssganGeneratorLoss } from './ssgan-losses.js';
import { semiSupervisedOptimizers } from './ssgan-optimizers.js';

/**
 * One discriminator-classifier update on labeled, unlabeled and generated
 * images, then `updateRate` generator updates.
 * - 'ssgan' (SSGAN-Tensorflow): n+1 outputs, D = Huber + softmax CE terms,
 *   G = log p(generated | G(z)) + annealed Huber reconstruction, gradients
 *   clipped at global norm 20, D at half G's learning rate.
 * - 'improved' (Salimans et al. 2016): K outputs, labeled CE + unlabeled
 *   logsumexp loss for D, feature matching for G.
 * Extra generator updates reuse the step's z (SSGAN-Tensorflow draws new z
 * in-graph; here z comes with the batch so a run stays reproducible).
 */
export class SemiSupervisedTrainer implements GanTrainer {
  readonly generator: Network;
  readonly discriminator: Network;
  readonly sslLoss: 'ssgan' | 'improved';
  private readonly gOptimizer: NetworkOptimizer;
  private readonly dOptimizer: NetworkOptimizer;
  private readonly rng: Rng | undefined;
  private readonly updateRate: number;
  private readonly clipNorm: number;
  private readonly reconStart: number;
  private readonly annealSteps: number;
  private readonly evaluationAverage: ParameterAverage | undefined;
  /**
   * The discriminator forward pass takes labeled, unlabeled and generated images as one batch: only when no layer
   * looks across the batch (batch norm's statistics, minibatch discrimination's distances would mix them).
   */
  private readonly oneForwardPass: boolean;
  private steps: number;

  constructor(
    readonly spec: ModelSpec,
    nets: GanNetworks,
    options: TrainOptions = {},
  ) {
    if (spec.numClasses <= 0) throw new ModelError('bad-spec', `the semi-supervised trainer needs numClasses ≥ 1, spec "${spec.variant}" has ${spec.numClasses}`);
    this.sslLoss = options.sslLoss ?? (spec.variant === 'improved-gan' ? 'improved' : 'ssgan');
    const outputs = nets.discriminator.outputShape[0];
    const expected = this.sslLoss === 'ssgan' ? spec.numClasses + 1 : spec.numClasses;
    if (nets.discriminator.outputShape.length !== 1 || outputs !== expected) {
      throw new ModelError('bad-spec', `ssl loss "${this.sslLoss}" needs a discriminator with ${expected} outputs for ${spec.numClasses} classes, this one has [${nets.discriminator.outputShape.join(', ')}]`);
    }
    this.generator = nets.generator;
    this.discriminator = nets.discriminator;
    const optimizers = semiSupervisedOptimizers(this.sslLoss, options);
    this.gOptimizer = new NetworkOptimizer(nets.generator, 'generator', optimizers.generator, options.optimizerFactory);
    this.dOptimizer = new NetworkOptimizer(nets.discriminator, 'discriminator', optimizers.discriminator, options.optimizerFactory);
    this.rng = options.rng;
    this.updateRate = options.updateRate ?? (this.sslLoss === 'ssgan' ? 2 : 1);
    if (!Number.isInteger(this.updateRate) || this.updateRate < 1) throw new ModelError('bad-options', `updateRate must be a positive integer, got ${this.updateRate}`);
    this.clipNorm = options.clipNorm ?? (this.sslLoss === 'ssgan' ? 20 : 0); // SSGAN-Tensorflow: clip_gradients=20.0
    this.reconStart = options.reconstructionWeight ?? 10;
    this.annealSteps = options.annealSteps ?? 1500;
    this.steps = options.startStep ?? 0;
    this.evaluationAverage = evaluationAverageFor(nets.discriminator, this.sslLoss, options.evaluationAverageRate);
    this.oneForwardPass = options.batchNormBatches === 'mixed' || !nets.discriminator.looksAcrossBatch;
  }

  get stepsDone(): number {
    return this.steps;
  }

  step(batch: TrainBatch): StepMetrics {
    checkBatchShapes(this.spec, batch);
    initializeBeforeFirstStep(this.discriminator, this.steps, batch.real, this.rng); // the first unlabeled batch
    const metrics = tf.tidy(() => {
      const d = this.discriminatorStep(batch);
      this.evaluationAverage?.update();
      let g: Record<string, tf.Scalar> = {};
      for (let k = 0; k < this.updateRate; k++) g = this.generatorStep(batch);
      return { ...d, ...g } as StepMetrics;
    });
    this.steps++;
    return metrics;
  }

  private oneHot(batch: TrainBatch): tf.Tensor2D | undefined {
    return batch.labels ? (tf.cast(tf.oneHot(tf.cast(batch.labels, 'int32') as tf.Tensor1D, this.spec.numClasses), 'float32') as tf.Tensor2D) : undefined;
  }

  private discriminatorStep(batch: TrainBatch): Record<string, tf.Scalar> {
    const fake = this.generator.apply(batch.z, { training: true, rng: this.rng, updateStatistics: false });
    const oneHot = this.oneHot(batch);
    const kept: Record<string, tf.Scalar> = {};
    const keep = (name: string, x: tf.Tensor): void => {
      kept[name] = tf.keep(x) as tf.Scalar;
    };
    const { loss, gradientNorm } = this.dOptimizer.minimize(() => {
      const { unlabeledLogits, fakeLogits, labeledLogits } = this.discriminatorLogits(batch, fake, Boolean(batch.labeledReal && oneHot));
      if (labeledLogits && batch.labels) {
        const predicted = tf.argMax(tf.slice(labeledLogits, [0, 0], [-1, this.spec.numClasses]), 1);
        keep('accuracy', tf.mean(tf.cast(tf.equal(predicted, tf.cast(batch.labels, 'int32')), 'float32')));
      }
      if (this.sslLoss === 'ssgan') {
        const terms = ssganDiscriminatorTerms(unlabeledLogits, fakeLogits, labeledLogits && oneHot ? { logits: labeledLogits, oneHot } : undefined);
        keep('sLoss', terms.supervised);
        keep('dReal', tf.mean(tf.exp(logProbabilityReal(unlabeledLogits))));
        keep('dFake', tf.mean(tf.exp(logProbabilityReal(fakeLogits))));
        return tf.addN([terms.supervised, terms.labeled, terms.unlabeled, terms.fake]) as tf.Scalar;
      }
      const supervised = labeledLogits && oneHot ? labeledLoss(labeledLogits, oneHot) : tf.scalar(0);
      keep('sLoss', supervised);
      keep('dReal', tf.mean(realScore(unlabeledLogits)));
      keep('dFake', tf.mean(realScore(fakeLogits)));
      return tf.add(supervised, unlabeledLoss(unlabeledLogits, fakeLogits));
    }, this.clipNorm);
    return { dLoss: loss, ...(gradientNorm ? { dGradientNorm: gradientNorm } : {}), ...kept };
  }

  /**
   * D's logits for the unlabeled, generated and (when given) labeled images. Without batch norm in D one forward pass
   * over the three batches stacked gives the same logits in distribution (noise and dropout are per element) with a
   * third of the matrix products.
   */
  private discriminatorLogits(batch: TrainBatch, fake: tf.Tensor, withLabeled: boolean): { unlabeledLogits: tf.Tensor2D; fakeLogits: tf.Tensor2D; labeledLogits: tf.Tensor2D | undefined } {
    const d = (x: tf.Tensor): tf.Tensor2D => this.discriminator.apply(x, { training: true, rng: this.rng }) as tf.Tensor2D;
    const labeled = withLabeled ? batch.labeledReal : undefined;
    if (!this.oneForwardPass) return { unlabeledLogits: d(batch.real), fakeLogits: d(fake), labeledLogits: labeled ? d(labeled) : undefined };
    const parts = [batch.real, fake, ...(labeled ? [labeled] : [])];
    const logits = tf.split(d(tf.concat(parts, 0)), parts.map((p) => p.shape[0]!), 0) as tf.Tensor2D[];
    return { unlabeledLogits: logits[0]!, fakeLogits: logits[1]!, labeledLogits: labeled ? logits[2] : undefined };
  }

  private generatorStep(batch: TrainBatch): Record<string, tf.Scalar> {
    const dOpts = { training: true, rng: this.rng, updateStatistics: false };
    if (this.sslLoss === 'improved') {
      // Feature matching (Salimans et al. 2016 §3.1) is the paper's G loss for semi-supervised learning.
      const realFeatures = this.discriminator.applyWithFeatures(batch.real, dOpts).features;
      const { loss, gradientNorm } = this.gOptimizer.minimize(() => {
        const fake = this.generator.apply(batch.z, { training: true, rng: this.rng });
        return featureMatchingLoss(realFeatures, this.discriminator.applyWithFeatures(fake, dOpts).features);
      }, this.clipNorm);
      return { gLoss: loss, ...(gradientNorm ? { gGradientNorm: gradientNorm } : {}) };
    }
    const weight = reconstructionWeight(this.steps, this.reconStart, this.annealSteps);
    const pairs = Math.min(batch.real.shape[0]!, batch.z.shape[0]!);
    const { loss, gradientNorm } = this.gOptimizer.minimize(() => {
      const fake = this.generator.apply(batch.z, { training: true, rng: this.rng });
      const logits = this.discriminator.apply(fake, dOpts) as tf.Tensor2D;
      return ssganGeneratorLoss(logits, tf.slice(batch.real, 0, pairs), tf.slice(fake, 0, pairs), weight);
    }, this.clipNorm);
    return { gLoss: loss, ...(gradientNorm ? { gGradientNorm: gradientNorm } : {}), reconstructionWeight: tf.scalar(weight) };
  }

  async optimizerStates(): Promise<OptimizerState[]> {
    return [await this.gOptimizer.state(), await this.dOptimizer.state()];
  }

  async restoreOptimizerStates(states: OptimizerState[]): Promise<void> {
    await restoreBoth(states, this.gOptimizer, this.dOptimizer);
  }

  async extraTensors(): Promise<CheckpointTensor[]> {
    return (await this.evaluationAverage?.toCheckpointTensors()) ?? [];
  }

  restoreExtraTensors(tensors: CheckpointTensor[]): void {
    this.evaluationAverage?.restore(tensors, 'the evaluation average (evaluationAverageRate)');
  }

  dispose(): void {
    this.evaluationAverage?.dispose();
    this.gOptimizer.dispose();
    this.dOptimizer.dispose();
  }
}
