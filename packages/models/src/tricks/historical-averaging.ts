import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor } from '@forger/core';
import type { Network } from '../network/network.js';
import { ParameterAverage } from '../training/parameter-average.js';
import { ParameterWindow } from '../training/parameter-window.js';
import { sumOf } from '../training/sum-of.js';

/**
 * Historical averaging (Salimans et al. 2016, §3.3): each player's loss gains
 * ‖θ − (1/t) Σᵢ θ[i]‖², pulling the parameters toward their own past mean
 * so the two players do not orbit each other. The paper's θ[i] are "the value
 * of the parameters at past time i" over t past steps: with `window` the mean
 * is over the last `window` steps (a ring buffer, ParameterWindow), without it
 * the cumulative mean of every step so far (ParameterAverage).
 * The means are training state: they travel in TrainingState.extra under
 * `historical_average/<role>/…`.
 */
export class HistoricalAverage {
  private readonly mean: ParameterAverage | ParameterWindow;

  constructor(
    private readonly network: Network,
    role: 'generator' | 'discriminator',
    window?: number,
  ) {
    const prefix = `historical_average/${role}`;
    this.mean = window === undefined ? new ParameterAverage(network, prefix) : new ParameterWindow(network, prefix, window);
  }

  /** Σ‖θ − θ̄‖² over all trainable parameters, as a scalar on the tape. */
  penalty(): tf.Scalar {
    const vars = this.network.trainableVariables;
    return sumOf(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, this.mean.values[i]!))))) as tf.Scalar;
  }

  /** Folds the current parameters into the mean (call after each step). */
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

/** Both players' historical averages, or none when the weight is 0. */
export function historicalAveragesFor(
  nets: { generator: Network; discriminator: Network },
  weight: number,
  window: number | undefined,
): { generator: HistoricalAverage; discriminator: HistoricalAverage } | undefined {
  if (weight <= 0) return undefined;
  return { generator: new HistoricalAverage(nets.generator, 'generator', window), discriminator: new HistoricalAverage(nets.discriminator, 'discriminator', window) };
}
