import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { featureMatchingLoss } from '../tricks/feature-matching.js';
import { checkHistoricalWindow, historicalAveragesFor, type HistoricalAverage } from '../tricks/historical-averaging.js';
import { fakeTargetOf, realTargetOf } from '../tricks/label-smoothing.js';
import { discriminatorLoss, generatorLoss, weightedSigmoidCrossEntropy } from '../vanilla/losses.js';
import { checkBatchShapes } from './batch-checks.js';
import { initializeBeforeFirstStep } from './data-initialization.js';
import { lossThresholdScheduleOf, updateWhileAbove, type LossThresholdSchedule, type UpdateAttempt } from './loss-threshold-schedule.js';
import { checkTrickOptions } from './trick-options.js';
import { NetworkPairTrainer } from './network-pair-trainer.js';
import type { GanNetworks, GanTrainer, OptimizerConfig, StepMetrics, TrainBatch, TrainOptions } from './types.js';

/**
 * The unconditional GAN step shared by the vanilla and DCGAN families
 * (Goodfellow et al. 2014, Algorithm 1 with k = 1): one discriminator update on
 * a real and a generated batch, then one generator update through the frozen
 * discriminator, both with sigmoid cross-entropy from D's logits.
 */
export class AdversarialTrainer extends NetworkPairTrainer implements GanTrainer {
  private readonly realTarget: number;
  private readonly fakeTarget: number;
  private readonly schedule: LossThresholdSchedule | undefined;
  private readonly featureMatching: boolean;
  private readonly historicalWeight: number;
  private readonly history: { generator: HistoricalAverage; discriminator: HistoricalAverage } | undefined;
  /** Per-row targets and loss weights of a stacked batch, by batch sizes: made once, not every step. */
  private readonly stackedRows = new Map<string, { targets: tf.Tensor2D; weights: tf.Tensor2D }>();

  constructor(
    spec: ModelSpec,
    nets: GanNetworks,
    options: TrainOptions,
    optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig },
  ) {
    // before super(): options are checked before the optimizers and the generator average hold tensors
    checkTrickOptions(options);
    checkHistoricalWindow(nets, options.historicalWindow);
    super(spec, nets, options, optimizers);
    this.realTarget = realTargetOf(options);
    this.fakeTarget = fakeTargetOf(options);
    this.schedule = lossThresholdScheduleOf(options);
    this.featureMatching = options.featureMatching ?? false;
    this.historicalWeight = options.historicalAveraging ?? 0;
    this.history = historicalAveragesFor(nets, this.historicalWeight, options.historicalWindow);
  }

  get readsLossesEachStep(): boolean {
    return this.schedule !== undefined;
  }

  step(batch: TrainBatch): StepMetrics {
    if (this.schedule) throw new ModelError('bad-options', 'a loss-threshold schedule reads losses back every update: call stepAsync, not step');
    checkBatchShapes(this.spec, batch);
    initializeBeforeFirstStep(this.discriminator, this.stepsDone, batch.real, this.rng);
    const metrics = tf.tidy(() => {
      const d = this.discriminatorObjective(batch);
      const { loss: dLoss } = this.dOptimizer.minimize(d.loss);
      const { loss: gLoss } = this.gOptimizer.minimize(this.generatorObjective(batch));
      return { dLoss, dReal: d.scores.dReal!, dFake: d.scores.dFake!, gLoss };
    });
    this.afterStep();
    return metrics;
  }

  async stepAsync(batch: TrainBatch): Promise<StepMetrics> {
    if (!this.schedule) return this.step(batch);
    checkBatchShapes(this.spec, batch);
    initializeBeforeFirstStep(this.discriminator, this.stepsDone, batch.real, this.rng);
    const limits = { times: 1, maxUpdates: this.schedule.maxUpdates };
    const d = await updateWhileAbove(this.dOptimizer, this.schedule.discriminator, limits, (): UpdateAttempt => {
      const objective = this.discriminatorObjective(batch);
      const { loss, gradients } = this.dOptimizer.gradients(objective.loss);
      return { loss, gradients, metrics: { dLoss: loss, dReal: objective.scores.dReal!, dFake: objective.scores.dFake! } };
    });
    const g = await updateWhileAbove(this.gOptimizer, this.schedule.generator, limits, (): UpdateAttempt => {
      const { loss, gradients } = this.gOptimizer.gradients(this.generatorObjective(batch));
      return { loss, gradients, metrics: { gLoss: loss } };
    });
    this.afterStep();
    return { ...d.metrics, ...g.metrics, dUpdates: tf.scalar(d.updates), gUpdates: tf.scalar(g.updates) } as unknown as StepMetrics;
  }

  private afterStep(): void {
    this.history?.generator.update();
    this.history?.discriminator.update();
    this.countStep();
  }

  /**
   * D's loss as a closure for its optimizer, and the mean scores D(x) and D(G(z)) it keeps when it runs (the
   * gradient's forward pass disposes everything it does not return).
   */
  private discriminatorObjective(batch: TrainBatch): { loss: () => tf.Scalar; scores: { dReal?: tf.Scalar; dFake?: tf.Scalar } } {
    // Generated images are constants for D's update: no generator gradient.
    const fake = this.generator.apply(batch.z, { training: true, rng: this.rng, updateStatistics: false });
    const scores: { dReal?: tf.Scalar; dFake?: tf.Scalar } = {};
    const loss = (): tf.Scalar => {
      let adversarial: tf.Scalar;
      if (this.oneForwardPass) {
        const realCount = batch.real.shape[0]!;
        const fakeCount = fake.shape[0]!;
        const logits = this.discriminator.apply(tf.concat([batch.real, fake], 0), { training: true, rng: this.rng });
        const rows = this.rowsOf(realCount, fakeCount);
        // Weights 1/realCount and 1/fakeCount: the sum is mean over real + mean over generated, as discriminatorLoss.
        adversarial = weightedSigmoidCrossEntropy(logits, rows.targets, rows.weights);
        const sigmoid = tf.sigmoid(logits);
        scores.dReal = tf.keep(tf.mean(tf.slice(sigmoid, [0, 0], [realCount, -1]))) as tf.Scalar;
        scores.dFake = tf.keep(tf.mean(tf.slice(sigmoid, [realCount, 0], [fakeCount, -1]))) as tf.Scalar;
      } else {
        const realLogits = this.discriminator.apply(batch.real, { training: true, rng: this.rng });
        const fakeLogits = this.discriminator.apply(fake, { training: true, rng: this.rng });
        scores.dReal = tf.keep(tf.mean(tf.sigmoid(realLogits))) as tf.Scalar;
        scores.dFake = tf.keep(tf.mean(tf.sigmoid(fakeLogits))) as tf.Scalar;
        adversarial = discriminatorLoss(realLogits, fakeLogits, this.realTarget, this.fakeTarget);
      }
      return this.history ? tf.add(adversarial, tf.mul(this.history.discriminator.penalty(), this.historicalWeight)) : adversarial;
    };
    return { loss, scores };
  }

  /** G's loss as a closure for its optimizer. */
  private generatorObjective(batch: TrainBatch): () => tf.Scalar {
    // D is frozen here: it runs in training mode (dropout, noise) but its
    // moving statistics stay put and only G's variables are updated.
    const dOpts = { training: true, rng: this.rng, updateStatistics: false };
    const realFeatures = this.featureMatching ? this.discriminator.applyWithFeatures(batch.real, dOpts).features : undefined;
    return () => {
      const fake = this.generator.apply(batch.z, { training: true, rng: this.rng });
      const adversarial = realFeatures
        ? featureMatchingLoss(realFeatures, this.discriminator.applyWithFeatures(fake, dOpts).features)
        : generatorLoss(this.discriminator.apply(fake, dOpts));
      return this.history ? tf.add(adversarial, tf.mul(this.history.generator.penalty(), this.historicalWeight)) : adversarial;
    };
  }

  /** Targets (the real target, then the fake target) and weights (1/count) of a stacked real + generated batch. */
  private rowsOf(realCount: number, fakeCount: number): { targets: tf.Tensor2D; weights: tf.Tensor2D } {
    const key = `${realCount},${fakeCount}`;
    let rows = this.stackedRows.get(key);
    if (rows === undefined) {
      const n = realCount + fakeCount;
      const column = (real: number, generated: number): tf.Tensor2D =>
        tf.keep(tf.tensor2d(Array.from({ length: n }, (_, i) => (i < realCount ? real : generated)), [n, 1]));
      rows = { targets: column(this.realTarget, this.fakeTarget), weights: column(1 / realCount, 1 / fakeCount) };
      this.stackedRows.set(key, rows);
    }
    return rows;
  }

  override async extraTensors(): Promise<CheckpointTensor[]> {
    return [
      ...(this.history ? [...await this.history.generator.toCheckpointTensors(), ...await this.history.discriminator.toCheckpointTensors()] : []),
      ...await super.extraTensors(),
    ];
  }

  override restoreExtraTensors(tensors: CheckpointTensor[]): void {
    this.history?.generator.restore(tensors);
    this.history?.discriminator.restore(tensors);
    super.restoreExtraTensors(tensors);
  }

  override dispose(): void {
    super.dispose();
    this.history?.generator.dispose();
    this.history?.discriminator.dispose();
    for (const rows of this.stackedRows.values()) tf.dispose([rows.targets, rows.weights]);
    this.stackedRows.clear();
  }
}
