import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { featureMatchingLoss } from '../tricks/feature-matching.js';
import { checkBatchShapes } from '../training/batch-checks.js';
import { initializeBeforeFirstStep } from '../training/data-initialization.js';
import { NetworkPairTrainer } from '../training/network-pair-trainer.js';
import { evaluationAverageFor, type ParameterAverage } from '../training/parameter-average.js';
import { lossThresholdScheduleOf, updateWhileAbove, type LossThresholdSchedule, type UpdateAttempt } from '../training/loss-threshold-schedule.js';
import { checkTrickOptions } from '../training/trick-options.js';
import { checkHistoricalWindow, historicalAveragesFor, type HistoricalAverage } from '../tricks/historical-averaging.js';
import type { GanNetworks, GanTrainer, StepMetrics, TrainBatch, TrainOptions } from '../training/types.js';
import { labeledLoss, realScore, unlabeledLoss } from './improved-gan-losses.js';
import { logProbabilityGenerated, logProbabilityReal, reconstructionWeight, ssganDiscriminatorTerms, withReconstruction } from './ssgan-losses.js';
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
 * The tricks (src/tricks/) apply as to the other families: label smoothing to the real/fake part of D's loss,
 * historical averaging's penalty to both losses, feature matching in place of the 'ssgan' G's adversarial term
 * (the 'improved' G's loss is feature matching already, so the option is refused there), and the loss-threshold
 * schedule in place of updateRate.
 */
export class SemiSupervisedTrainer extends NetworkPairTrainer implements GanTrainer {
  readonly sslLoss: 'ssgan' | 'improved';
  private readonly updateRate: number;
  private readonly clipNorm: number;
  private readonly reconStart: number;
  private readonly annealSteps: number;
  private readonly evaluationAverage: ParameterAverage | undefined;
  private readonly realTarget: number | undefined;
  private readonly fakeTarget: number | undefined;
  private readonly featureMatching: boolean;
  private readonly historicalWeight: number;
  private readonly history: { generator: HistoricalAverage; discriminator: HistoricalAverage } | undefined;
  private readonly schedule: LossThresholdSchedule | undefined;

  constructor(
    spec: ModelSpec,
    nets: GanNetworks,
    options: TrainOptions = {},
  ) {
    if (spec.numClasses <= 0) throw new ModelError('bad-spec', `the semi-supervised trainer needs numClasses ≥ 1, spec "${spec.variant}" has ${spec.numClasses}`);
    // the checks come before super(): options are refused before the optimizers and the generator average hold tensors
    const sslLoss = options.sslLoss ?? (spec.variant === 'improved-gan' ? 'improved' : 'ssgan');
    const outputs = nets.discriminator.outputShape[0];
    const expected = sslLoss === 'ssgan' ? spec.numClasses + 1 : spec.numClasses;
    if (nets.discriminator.outputShape.length !== 1 || outputs !== expected) {
      throw new ModelError('bad-spec', `ssl loss "${sslLoss}" needs a discriminator with ${expected} outputs for ${spec.numClasses} classes, this one has [${nets.discriminator.outputShape.join(', ')}]`);
    }
    checkTrickOptions(options);
    if (options.featureMatching && sslLoss === 'improved') {
      throw new ModelError('bad-options', 'featureMatching: the \'improved\' ssl loss trains its generator by feature matching already (Salimans et al. 2016 §5)');
    }
    if (options.updateRate !== undefined && options.gLossThreshold !== undefined) {
      throw new ModelError('bad-options', 'updateRate and gLossThreshold both set the generator\'s updates per step: give one');
    }
    const updateRate = options.updateRate ?? (sslLoss === 'ssgan' ? 2 : 1);
    if (!Number.isInteger(updateRate) || updateRate < 1) throw new ModelError('bad-options', `updateRate must be a positive integer, got ${updateRate}`);
    checkHistoricalWindow(nets, options.historicalWindow);
    super(spec, nets, options, semiSupervisedOptimizers(sslLoss, options));
    this.sslLoss = sslLoss;
    this.updateRate = updateRate;
    this.realTarget = options.realTarget;
    this.fakeTarget = options.fakeTarget;
    this.featureMatching = options.featureMatching ?? false;
    this.historicalWeight = options.historicalAveraging ?? 0;
    this.history = historicalAveragesFor(nets, this.historicalWeight, options.historicalWindow);
    this.schedule = lossThresholdScheduleOf(options);
    this.clipNorm = options.clipNorm ?? (this.sslLoss === 'ssgan' ? 20 : 0); // SSGAN-Tensorflow: clip_gradients=20.0
    this.reconStart = options.reconstructionWeight ?? 10;
    this.annealSteps = options.annealSteps ?? 1500;
    this.evaluationAverage = evaluationAverageFor(nets.discriminator, this.sslLoss, options.evaluationAverageRate);
  }

  get readsLossesEachStep(): boolean {
    return this.schedule !== undefined;
  }

  step(batch: TrainBatch): StepMetrics {
    if (this.schedule) throw new ModelError('bad-options', 'a loss-threshold schedule reads losses back every update: call stepAsync, not step');
    checkBatchShapes(this.spec, batch);
    initializeBeforeFirstStep(this.discriminator, this.stepsDone, batch.real, this.rng); // the first unlabeled batch
    const metrics = tf.tidy(() => {
      const d = this.discriminatorObjective(batch);
      const { loss, gradientNorm } = this.dOptimizer.minimize(d.loss, this.clipNorm);
      this.evaluationAverage?.update();
      let g: Record<string, tf.Scalar> = {};
      for (let k = 0; k < this.updateRate; k++) {
        const objective = this.generatorObjective(batch);
        const { loss: gLoss, gradientNorm: gNorm } = this.gOptimizer.minimize(objective.loss, this.clipNorm);
        g = { gLoss, ...(gNorm ? { gGradientNorm: gNorm } : {}), ...objective.scalars };
      }
      return { dLoss: loss, ...(gradientNorm ? { dGradientNorm: gradientNorm } : {}), ...d.kept, ...g } as StepMetrics;
    });
    this.afterStep();
    return metrics;
  }

  async stepAsync(batch: TrainBatch): Promise<StepMetrics> {
    if (!this.schedule) return this.step(batch);
    checkBatchShapes(this.spec, batch);
    initializeBeforeFirstStep(this.discriminator, this.stepsDone, batch.real, this.rng);
    const d = await updateWhileAbove(this.dOptimizer, this.schedule.discriminator, { times: 1, maxUpdates: this.schedule.maxUpdates }, (): UpdateAttempt => {
      const objective = this.discriminatorObjective(batch);
      const { loss, gradients, gradientNorm } = this.dOptimizer.gradients(objective.loss, this.clipNorm);
      return { loss, gradients, metrics: { dLoss: loss, ...(gradientNorm ? { dGradientNorm: gradientNorm } : {}), ...objective.kept } };
    });
    this.evaluationAverage?.update();
    const g = await updateWhileAbove(this.gOptimizer, this.schedule.generator, { times: this.updateRate, maxUpdates: this.schedule.maxUpdates }, (): UpdateAttempt => {
      const objective = this.generatorObjective(batch);
      const { loss, gradients, gradientNorm } = this.gOptimizer.gradients(objective.loss, this.clipNorm);
      return { loss, gradients, metrics: { gLoss: loss, ...(gradientNorm ? { gGradientNorm: gradientNorm } : {}), ...objective.scalars } };
    });
    this.afterStep();
    return { ...d.metrics, ...g.metrics, dUpdates: tf.scalar(d.updates), gUpdates: tf.scalar(g.updates) } as unknown as StepMetrics;
  }

  private afterStep(): void {
    this.history?.generator.update();
    this.history?.discriminator.update();
    // once per step, after the step's (updateRate) generator updates
    this.countStep();
  }

  private oneHot(batch: TrainBatch): tf.Tensor2D | undefined {
    return batch.labels ? (tf.cast(tf.oneHot(tf.cast(batch.labels, 'int32') as tf.Tensor1D, this.spec.numClasses), 'float32') as tf.Tensor2D) : undefined;
  }

  /** The loss plus historical averaging's penalty on `network`'s parameters, when on. */
  private withHistory(loss: tf.Scalar, network: 'generator' | 'discriminator'): tf.Scalar {
    return this.history ? tf.add(loss, tf.mul(this.history[network].penalty(), this.historicalWeight)) : loss;
  }

  /** D's loss as a closure for its optimizer, and the scalars (accuracy, sLoss, dReal, dFake) it keeps when it runs. */
  private discriminatorObjective(batch: TrainBatch): { loss: () => tf.Scalar; kept: Record<string, tf.Scalar> } {
    const fake = this.generator.apply(batch.z, { training: true, rng: this.rng, updateStatistics: false });
    const oneHot = this.oneHot(batch);
    const kept: Record<string, tf.Scalar> = {};
    const keep = (name: string, x: tf.Tensor): void => {
      kept[name] = tf.keep(x) as tf.Scalar;
    };
    const loss = (): tf.Scalar => {
      const { unlabeledLogits, fakeLogits, labeledLogits } = this.discriminatorLogits(batch, fake, Boolean(batch.labeledReal && oneHot));
      if (labeledLogits && batch.labels) {
        const predicted = tf.argMax(tf.slice(labeledLogits, [0, 0], [-1, this.spec.numClasses]), 1);
        keep('accuracy', tf.mean(tf.cast(tf.equal(predicted, tf.cast(batch.labels, 'int32')), 'float32')));
      }
      if (this.sslLoss === 'ssgan') {
        const targets = { ...(this.realTarget !== undefined ? { real: this.realTarget } : {}), ...(this.fakeTarget !== undefined ? { fake: this.fakeTarget } : {}) };
        const terms = ssganDiscriminatorTerms(unlabeledLogits, fakeLogits, labeledLogits && oneHot ? { logits: labeledLogits, oneHot } : undefined, targets);
        keep('sLoss', terms.supervised);
        keep('dReal', tf.mean(tf.exp(logProbabilityReal(unlabeledLogits))));
        keep('dFake', tf.mean(tf.exp(logProbabilityReal(fakeLogits))));
        return this.withHistory(tf.addN([terms.supervised, terms.labeled, terms.unlabeled, terms.fake]) as tf.Scalar, 'discriminator');
      }
      const supervised = labeledLogits && oneHot ? labeledLoss(labeledLogits, oneHot) : tf.scalar(0);
      keep('sLoss', supervised);
      keep('dReal', tf.mean(realScore(unlabeledLogits)));
      keep('dFake', tf.mean(realScore(fakeLogits)));
      return this.withHistory(tf.add(supervised, unlabeledLoss(unlabeledLogits, fakeLogits, this.realTarget ?? 1, this.fakeTarget ?? 0)), 'discriminator');
    };
    return { loss, kept };
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

  /** G's loss as a closure for its optimizer, and the scalars of the step (the reconstruction weight). */
  private generatorObjective(batch: TrainBatch): { loss: () => tf.Scalar; scalars: Record<string, tf.Scalar> } {
    const dOpts = { training: true, rng: this.rng, updateStatistics: false };
    if (this.sslLoss === 'improved') {
      // Feature matching (Salimans et al. 2016 §3.1) is the paper's G loss for semi-supervised learning.
      const realFeatures = this.discriminator.applyWithFeatures(batch.real, dOpts).features;
      return {
        loss: () => {
          const fake = this.generator.apply(batch.z, { training: true, rng: this.rng });
          return this.withHistory(featureMatchingLoss(realFeatures, this.discriminator.applyWithFeatures(fake, dOpts).features), 'generator');
        },
        scalars: {},
      };
    }
    const weight = reconstructionWeight(this.stepsDone, this.reconStart, this.annealSteps);
    const pairs = Math.min(batch.real.shape[0]!, batch.z.shape[0]!);
    // --feature-matching: D's features of real images stand in for "generated" log-probability as G's target.
    const realFeatures = this.featureMatching ? this.discriminator.applyWithFeatures(batch.real, dOpts).features : undefined;
    const loss = (): tf.Scalar => {
      const fake = this.generator.apply(batch.z, { training: true, rng: this.rng });
      const adversarial = realFeatures
        ? featureMatchingLoss(realFeatures, this.discriminator.applyWithFeatures(fake, dOpts).features)
        : (tf.mean(logProbabilityGenerated(this.discriminator.apply(fake, dOpts) as tf.Tensor2D)) as tf.Scalar);
      return this.withHistory(withReconstruction(adversarial, tf.slice(batch.real, 0, pairs), tf.slice(fake, 0, pairs), weight), 'generator');
    };
    return { loss, scalars: { reconstructionWeight: tf.scalar(weight) } };
  }

  override async extraTensors(): Promise<CheckpointTensor[]> {
    return [
      ...((await this.evaluationAverage?.toCheckpointTensors()) ?? []),
      ...(this.history ? [...await this.history.generator.toCheckpointTensors(), ...await this.history.discriminator.toCheckpointTensors()] : []),
      ...await super.extraTensors(),
    ];
  }

  override restoreExtraTensors(tensors: CheckpointTensor[]): void {
    this.evaluationAverage?.restore(tensors, 'the evaluation average (evaluationAverageRate)');
    this.history?.generator.restore(tensors);
    this.history?.discriminator.restore(tensors);
    super.restoreExtraTensors(tensors);
  }

  override dispose(): void {
    this.evaluationAverage?.dispose();
    this.history?.generator.dispose();
    this.history?.discriminator.dispose();
    super.dispose();
  }
}
