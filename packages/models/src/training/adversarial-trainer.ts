import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor, ModelSpec, OptimizerState, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import { featureMatchingLoss } from '../tricks/feature-matching.js';
import { HistoricalAverage } from '../tricks/historical-averaging.js';
import { realTargetOf } from '../tricks/label-smoothing.js';
import { discriminatorLoss, generatorLoss, weightedSigmoidCrossEntropy } from '../vanilla/losses.js';
import { NetworkOptimizer } from './network-optimizer.js';
import { checkBatchShapes } from './batch-checks.js';
import { initializeBeforeFirstStep } from './data-initialization.js';
import type { GanNetworks, GanTrainer, OptimizerConfig, StepMetrics, TrainBatch, TrainOptions } from './types.js';

/**
 * The unconditional GAN step shared by the vanilla and DCGAN families
 * (Goodfellow et al. 2014, Algorithm 1 with k = 1): one discriminator update on
 * a real and a generated batch, then one generator update through the frozen
 * discriminator, both with sigmoid cross-entropy from D's logits.
 */
export class AdversarialTrainer implements GanTrainer {
  readonly generator: Network;
  readonly discriminator: Network;
  private readonly gOptimizer: NetworkOptimizer;
  private readonly dOptimizer: NetworkOptimizer;
  private readonly rng: Rng | undefined;
  private readonly realTarget: number;
  private readonly featureMatching: boolean;
  private readonly historicalWeight: number;
  private readonly history: { generator: HistoricalAverage; discriminator: HistoricalAverage } | undefined;
  /**
   * D sees the real and the generated batch stacked, in one forward and one backward pass, unless a layer of D
   * looks across the batch (batch norm, minibatch discrimination), which would mix their statistics. keras-dcgan
   * trains D on the two concatenated too. Half the kernels of two passes, and on a GPU half the dispatches.
   */
  private readonly oneForwardPass: boolean;
  /** Per-row targets and loss weights of a stacked batch, by batch sizes: made once, not every step. */
  private readonly stackedRows = new Map<string, { targets: tf.Tensor2D; weights: tf.Tensor2D }>();
  private steps: number;

  constructor(
    readonly spec: ModelSpec,
    nets: GanNetworks,
    options: TrainOptions,
    optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig },
  ) {
    this.generator = nets.generator;
    this.discriminator = nets.discriminator;
    this.gOptimizer = new NetworkOptimizer(nets.generator, 'generator', optimizers.generator, options.optimizerFactory);
    this.dOptimizer = new NetworkOptimizer(nets.discriminator, 'discriminator', optimizers.discriminator, options.optimizerFactory);
    this.rng = options.rng;
    this.realTarget = realTargetOf(options);
    this.featureMatching = options.featureMatching ?? false;
    this.historicalWeight = options.historicalAveraging ?? 0;
    if (this.historicalWeight < 0) throw new ModelError('bad-options', `historicalAveraging must be ≥ 0, got ${this.historicalWeight}`);
    this.history =
      this.historicalWeight > 0
        ? { generator: new HistoricalAverage(nets.generator, 'generator'), discriminator: new HistoricalAverage(nets.discriminator, 'discriminator') }
        : undefined;
    this.oneForwardPass = options.batchNormBatches === 'mixed' || !nets.discriminator.looksAcrossBatch;
    this.steps = options.startStep ?? 0;
  }

  get stepsDone(): number {
    return this.steps;
  }

  step(batch: TrainBatch): StepMetrics {
    checkBatchShapes(this.spec, batch);
    initializeBeforeFirstStep(this.discriminator, this.steps, batch.real, this.rng);
    const metrics = tf.tidy(() => {
      const d = this.discriminatorStep(batch);
      const g = this.generatorStep(batch);
      return { ...d, ...g };
    });
    this.history?.generator.update();
    this.history?.discriminator.update();
    this.steps++;
    return metrics;
  }

  private discriminatorStep(batch: TrainBatch): { dLoss: tf.Scalar; dReal: tf.Scalar; dFake: tf.Scalar } {
    // Generated images are constants for D's update: no generator gradient.
    const fake = this.generator.apply(batch.z, { training: true, rng: this.rng, updateStatistics: false });
    let dReal: tf.Scalar | undefined;
    let dFake: tf.Scalar | undefined;
    const { loss } = this.dOptimizer.minimize(() => {
      let adversarial: tf.Scalar;
      if (this.oneForwardPass) {
        const realCount = batch.real.shape[0]!;
        const fakeCount = fake.shape[0]!;
        const logits = this.discriminator.apply(tf.concat([batch.real, fake], 0), { training: true, rng: this.rng });
        const rows = this.rowsOf(realCount, fakeCount);
        // Weights 1/realCount and 1/fakeCount: the sum is mean over real + mean over generated, as discriminatorLoss.
        adversarial = weightedSigmoidCrossEntropy(logits, rows.targets, rows.weights);
        const scores = tf.sigmoid(logits);
        // Kept: the gradient's forward pass disposes everything it does not return.
        dReal = tf.keep(tf.mean(tf.slice(scores, [0, 0], [realCount, -1]))) as tf.Scalar;
        dFake = tf.keep(tf.mean(tf.slice(scores, [realCount, 0], [fakeCount, -1]))) as tf.Scalar;
      } else {
        const realLogits = this.discriminator.apply(batch.real, { training: true, rng: this.rng });
        const fakeLogits = this.discriminator.apply(fake, { training: true, rng: this.rng });
        dReal = tf.keep(tf.mean(tf.sigmoid(realLogits))) as tf.Scalar;
        dFake = tf.keep(tf.mean(tf.sigmoid(fakeLogits))) as tf.Scalar;
        adversarial = discriminatorLoss(realLogits, fakeLogits, this.realTarget);
      }
      return this.history ? tf.add(adversarial, tf.mul(this.history.discriminator.penalty(), this.historicalWeight)) : adversarial;
    });
    return { dLoss: loss, dReal: dReal!, dFake: dFake! };
  }

  private generatorStep(batch: TrainBatch): { gLoss: tf.Scalar } {
    // D is frozen here: it runs in training mode (dropout, noise) but its
    // moving statistics stay put and only G's variables are updated.
    const dOpts = { training: true, rng: this.rng, updateStatistics: false };
    const realFeatures = this.featureMatching ? this.discriminator.applyWithFeatures(batch.real, dOpts).features : undefined;
    const { loss } = this.gOptimizer.minimize(() => {
      const fake = this.generator.apply(batch.z, { training: true, rng: this.rng });
      const adversarial = realFeatures
        ? featureMatchingLoss(realFeatures, this.discriminator.applyWithFeatures(fake, dOpts).features)
        : generatorLoss(this.discriminator.apply(fake, dOpts));
      return this.history ? tf.add(adversarial, tf.mul(this.history.generator.penalty(), this.historicalWeight)) : adversarial;
    });
    return { gLoss: loss };
  }

  /** Targets (the real target, then 0) and weights (1/count) of a stacked real + generated batch. */
  private rowsOf(realCount: number, fakeCount: number): { targets: tf.Tensor2D; weights: tf.Tensor2D } {
    const key = `${realCount},${fakeCount}`;
    let rows = this.stackedRows.get(key);
    if (rows === undefined) {
      const n = realCount + fakeCount;
      const column = (real: number, generated: number): tf.Tensor2D =>
        tf.keep(tf.tensor2d(Array.from({ length: n }, (_, i) => (i < realCount ? real : generated)), [n, 1]));
      rows = { targets: column(this.realTarget, 0), weights: column(1 / realCount, 1 / fakeCount) };
      this.stackedRows.set(key, rows);
    }
    return rows;
  }

  async optimizerStates(): Promise<OptimizerState[]> {
    return [await this.gOptimizer.state(), await this.dOptimizer.state()];
  }

  async restoreOptimizerStates(states: OptimizerState[]): Promise<void> {
    await restoreBoth(states, this.gOptimizer, this.dOptimizer);
  }

  async extraTensors(): Promise<CheckpointTensor[]> {
    return this.history ? [...await this.history.generator.toCheckpointTensors(), ...await this.history.discriminator.toCheckpointTensors()] : [];
  }

  restoreExtraTensors(tensors: CheckpointTensor[]): void {
    this.history?.generator.restore(tensors);
    this.history?.discriminator.restore(tensors);
  }

  dispose(): void {
    this.gOptimizer.dispose();
    this.dOptimizer.dispose();
    this.history?.generator.dispose();
    this.history?.discriminator.dispose();
    for (const rows of this.stackedRows.values()) tf.dispose([rows.targets, rows.weights]);
    this.stackedRows.clear();
  }
}

/** Restores the generator's and the discriminator's optimizer from a checkpoint's list. */
export async function restoreBoth(states: OptimizerState[], g: NetworkOptimizer, d: NetworkOptimizer): Promise<void> {
  for (const opt of [g, d]) {
    const state = states.find((s) => s.network === opt.role);
    if (!state) throw new ModelError('bad-optimizer-state', `optimizer states lack the ${opt.role}'s (found: ${states.map((s) => s.network).join(', ') || 'none'})`, { where: opt.role });
    await opt.restore(state);
  }
}
