import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor } from '@forger/core';
import type { Network } from '../network/network.js';
import { ParameterAverage } from '../training/parameter-average.js';
import { sumOf } from '../training/sum-of.js';

/**
 * Historical averaging (Salimans et al. 2016, §3.3): each player's loss gains
 * ‖θ − (1/t) Σᵢ θ[i]‖², pulling the parameters toward their own running mean
 * so the two players do not orbit each other. The running means are training
 * state: they travel in TrainingState.extra as `historical_average/<role>/<layer>/<param>`.
 */
export class HistoricalAverage {
  private readonly mean: ParameterAverage;

  constructor(
    private readonly network: Network,
    role: 'generator' | 'discriminator',
  ) {
    this.mean = new ParameterAverage(network, `historical_average/${role}`);
  }

  /** Σ‖θ − θ̄‖² over all trainable parameters, as a scalar on the tape. */
  penalty(): tf.Scalar {
    const vars = this.network.trainableVariables;
    return sumOf(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, this.mean.values[i]!))))) as tf.Scalar;
  }

  /** Folds the current parameters into the running mean (call after each update). */
  update(): void {
    this.mean.update();
  }

  toCheckpointTensors(): Promise<CheckpointTensor[]> {
    return this.mean.toCheckpointTensors();
  }

  restore(tensors: CheckpointTensor[]): void {
    this.mean.restore(tensors, 'historical averaging');
  }

  dispose(): void {
    this.mean.dispose();
  }
}
