import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor } from '@forger/core';
import { ModelError } from '../errors.js';
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

/**
 * The most memory a historical window may hold: one float32 copy of both networks per step. The ring is training
 * state, saved in every checkpoint, and a checkpoint file is at most 512 MiB (core's DEFAULT_CHECKPOINT_LIMITS); half
 * of that leaves the other half for the weights, optimizer moments and averages beside it. Without a bound, 100 steps
 * of keras-dcgan's 10.2 M parameters asked for 4.1 GB: wasm's heap gave out after minutes, before the first save.
 */
export const MAX_HISTORICAL_WINDOW_BYTES = 256 * 1024 * 1024;

const FLOAT32_BYTES = 4;

const parameterCount = (nets: { generator: Network; discriminator: Network }): number =>
  [nets.generator, nets.discriminator].flatMap((n) => n.trainableVariables).reduce((n, v) => n + v.size, 0);

/** The longest window of one float32 copy of `parameters` per step that fits MAX_HISTORICAL_WINDOW_BYTES. */
const windowFitting = (parameters: number): number => Math.max(0, Math.floor(MAX_HISTORICAL_WINDOW_BYTES / (parameters * FLOAT32_BYTES)));

/** The longest historical window (in steps) whose copies of both networks fit MAX_HISTORICAL_WINDOW_BYTES. */
export function maxHistoricalWindow(nets: { generator: Network; discriminator: Network }): number {
  return windowFitting(parameterCount(nets));
}

/**
 * Refuses a historical window longer than maxHistoricalWindow(nets). Trainers call it with their other option checks,
 * before their optimizers or averages hold any tensor, so a refused window leaves nothing allocated.
 */
export function checkHistoricalWindow(nets: { generator: Network; discriminator: Network }, window: number | undefined): void {
  if (window === undefined) return;
  const parameters = parameterCount(nets);
  const longest = windowFitting(parameters);
  if (window <= longest) return;
  throw new ModelError(
    'too-large',
    `a historical window of ${window} steps keeps ${window} copies of the networks' ${parameters.toLocaleString('en-US')} trainable parameters, ` +
      `over the ${MAX_HISTORICAL_WINDOW_BYTES / 2 ** 20} MiB a checkpoint can carry: at most ${longest} steps for these networks`,
    { where: 'historicalWindow' },
  );
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
