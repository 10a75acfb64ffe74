import type { CheckpointTensor, ModelSpec, OptimizerState, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import { NetworkOptimizer } from './network-optimizer.js';
import { generatorAverageFor, withAveragedWeights, type GeneratorAverage } from './generator-average.js';
import type { GanNetworks, OptimizerConfig, TrainOptions } from './types.js';

/**
 * What every trainer of a generator/discriminator pair keeps, whatever its losses: the two networks, an optimizer
 * for each (with the learning-rate schedule), the run's rng, the step count, the generator average samples are drawn from, and whether D may see
 * real and generated images in one forward pass. The vanilla/DCGAN, acgan and semi-supervised trainers extend it
 * with their losses, tricks and schedules, so a checkpoint's optimizer states and generator average are written and
 * restored by one piece of code for every family.
 *
 * Order matters for checkpoints: a subclass's own extra tensors come first and the generator average's last (call
 * super.extraTensors() after yours), as the checkpoints written before this class existed have them.
 */
export abstract class NetworkPairTrainer {
  /** What the networks are; the generator average's batch-norm statistics draw z (and classes) from it. */
  readonly spec: ModelSpec;
  readonly generator: Network;
  readonly discriminator: Network;
  protected readonly gOptimizer: NetworkOptimizer;
  protected readonly dOptimizer: NetworkOptimizer;
  protected readonly rng: Rng | undefined;
  /**
   * D sees the real and the generated batch stacked, in one forward and one backward pass, unless a layer of D
   * looks across the batch (batch norm, minibatch discrimination), which would mix their statistics; with
   * batchNormBatches 'mixed' the run asks for them mixed. keras-dcgan trains D on the two concatenated too. Half the
   * kernels of two passes, and on a GPU half the dispatches.
   */
  protected readonly oneForwardPass: boolean;
  private readonly generatorAverage: GeneratorAverage | undefined;
  private steps: number;
  private readonly learningRateDecaySteps: number | undefined;

  constructor(spec: ModelSpec, nets: GanNetworks, options: TrainOptions, optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig }) {
    this.spec = spec;
    this.generator = nets.generator;
    this.discriminator = nets.discriminator;
    this.gOptimizer = new NetworkOptimizer(nets.generator, 'generator', optimizers.generator, options.optimizerFactory);
    this.dOptimizer = new NetworkOptimizer(nets.discriminator, 'discriminator', optimizers.discriminator, options.optimizerFactory);
    this.rng = options.rng;
    this.generatorAverage = generatorAverageFor(nets.generator, spec, options.generatorAverageRate);
    this.oneForwardPass = options.batchNormBatches === 'mixed' || !nets.discriminator.looksAcrossBatch;
    this.steps = options.startStep ?? 0;
    const decaySteps = options.learningRateDecaySteps;
    if (decaySteps !== undefined && !(Number.isInteger(decaySteps) && decaySteps > 0)) {
      throw new ModelError('bad-options', `learningRateDecaySteps must be a positive integer (the run's length in steps), got ${decaySteps}`, { where: 'learningRateDecaySteps' });
    }
    this.learningRateDecaySteps = decaySteps;
    this.scheduleLearningRates();
  }

  get learningRates(): { generator: number; discriminator: number } {
    return { generator: this.gOptimizer.learningRate, discriminator: this.dOptimizer.learningRate };
  }

  /** Sets both networks' rates for the step about to be taken: (1 − s/T) of each under linear decay. */
  private scheduleLearningRates(): void {
    if (this.learningRateDecaySteps === undefined) return;
    const scale = Math.max(0, 1 - this.steps / this.learningRateDecaySteps);
    this.gOptimizer.setLearningRateScale(scale);
    this.dOptimizer.setLearningRateScale(scale);
  }

  /** startStep + the steps this trainer has taken. */
  get stepsDone(): number {
    return this.steps;
  }

  /**
   * Ends a step: folds G's weights into the generator average, then counts the step. Once per step, after all of
   * its generator updates (updateRate, a schedule's repeats), and after the subclass's own per-step state.
   */
  protected countStep(): void {
    this.generatorAverage?.update();
    this.steps++;
    this.scheduleLearningRates();
  }

  withSamplingWeights<T>(draw: (generator: Network) => Promise<T>): Promise<T> {
    return withAveragedWeights(this.generator, this.generatorAverage, draw);
  }

  async optimizerStates(): Promise<OptimizerState[]> {
    return [await this.gOptimizer.state(), await this.dOptimizer.state()];
  }

  async restoreOptimizerStates(states: OptimizerState[]): Promise<void> {
    await restoreBoth(states, this.gOptimizer, this.dOptimizer);
  }

  /** The generator average's tensors; a subclass puts its own before these. */
  async extraTensors(): Promise<CheckpointTensor[]> {
    return (await this.generatorAverage?.toCheckpointTensors()) ?? [];
  }

  /** Restores the generator average; a subclass restores its own state first. */
  restoreExtraTensors(tensors: CheckpointTensor[]): void {
    this.generatorAverage?.restore(tensors, 'the generator average (generatorAverageRate)');
  }

  /** Disposes the generator average and both optimizers; a subclass disposes its own state too. The networks belong to the caller. */
  dispose(): void {
    this.generatorAverage?.dispose();
    this.gOptimizer.dispose();
    this.dOptimizer.dispose();
  }
}

/** Restores the generator's and the discriminator's optimizer from a checkpoint's list. */
async function restoreBoth(states: OptimizerState[], g: NetworkOptimizer, d: NetworkOptimizer): Promise<void> {
  for (const opt of [g, d]) {
    const state = states.find((s) => s.network === opt.role);
    if (!state) throw new ModelError('bad-optimizer-state', `optimizer states lack the ${opt.role}'s (found: ${states.map((s) => s.network).join(', ') || 'none'})`, { where: opt.role });
    await opt.restore(state);
  }
}
