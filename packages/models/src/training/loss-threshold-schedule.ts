import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';
import type { NamedGradient, NetworkOptimizer } from './network-optimizer.js';
import type { TrainOptions } from './types.js';

/**
 * The loss-threshold schedule (the chapter's trick, from Soumith Chintala's "How to Train a GAN?" (ganhacks, tip
 * 11): "while lossD > A: train D; while lossG > B: train G"): within one step a network is updated while its loss on
 * the step's batch stays above its threshold, at most `maxUpdates` times; a network without a threshold takes its
 * usual number of updates. Deciding needs each loss on the host, so a scheduled step reads the loss back before
 * every update (an asynchronous read: every backend can do it, at the cost of a round trip per update).
 */
export interface LossThresholdSchedule {
  discriminator?: number;
  generator?: number;
  maxUpdates: number;
}

/** Cap on a network's updates per step when maxUpdatesPerStep is not given. */
export const DEFAULT_MAX_UPDATES_PER_STEP = 5;

/** The schedule of a run's options, or undefined when neither threshold is set. */
export function lossThresholdScheduleOf(o: TrainOptions): LossThresholdSchedule | undefined {
  const { dLossThreshold: d, gLossThreshold: g, maxUpdatesPerStep: max } = o;
  if (d === undefined && g === undefined) {
    if (max !== undefined) throw new ModelError('bad-options', 'maxUpdatesPerStep caps the loss-threshold schedule: set dLossThreshold or gLossThreshold too, or leave it out');
    return undefined;
  }
  for (const [name, value] of [['dLossThreshold', d], ['gLossThreshold', g]] as const) {
    if (value !== undefined && !Number.isFinite(value)) throw new ModelError('bad-options', `${name} must be a finite number, got ${value}`);
  }
  const maxUpdates = max ?? DEFAULT_MAX_UPDATES_PER_STEP;
  if (!Number.isInteger(maxUpdates) || maxUpdates < 1) throw new ModelError('bad-options', `maxUpdatesPerStep must be a whole number ≥ 1, got ${maxUpdates}`);
  return { ...(d !== undefined ? { discriminator: d } : {}), ...(g !== undefined ? { generator: g } : {}), maxUpdates };
}

/** One try at an update: the loss, the gradients that would lower it, and the step's metrics if it is the last try. */
export interface UpdateAttempt {
  loss: tf.Scalar;
  gradients: NamedGradient[];
  metrics: Record<string, tf.Scalar>;
}

/**
 * Updates one network by the schedule: with a threshold, while the loss of a fresh attempt (computed before the
 * update it would make) is above it, at most `maxUpdates` times, so 0 updates when the network is already below it;
 * without one, exactly `times` updates. Returns the number of updates and the metrics of the last attempt (the
 * caller owns them). `attempt` runs in its own tidy scope; tensors it keeps must be in its metrics.
 */
export async function updateWhileAbove(
  optimizer: NetworkOptimizer,
  threshold: number | undefined,
  limits: { times: number; maxUpdates: number },
  attempt: () => UpdateAttempt,
): Promise<{ updates: number; metrics: Record<string, tf.Scalar> }> {
  const tries = threshold === undefined ? limits.times : limits.maxUpdates;
  let metrics: Record<string, tf.Scalar> = {};
  let updates = 0;
  for (let k = 0; k < tries; k++) {
    const next = tf.tidy(() => attempt() as unknown as tf.TensorContainer) as unknown as UpdateAttempt;
    disposeAll(metrics);
    metrics = next.metrics;
    // NaN is not above any threshold: a diverged loss stops the updates (the run's NaN check reports it).
    const above = threshold === undefined || (await next.loss.data())[0]! > threshold;
    if (above) tf.tidy(() => optimizer.apply(next.gradients));
    tf.dispose(next.gradients.map((g) => g.tensor));
    if (!Object.values(metrics).includes(next.loss)) next.loss.dispose();
    if (!above) break;
    updates++;
  }
  return { updates, metrics };
}

function disposeAll(metrics: Record<string, tf.Scalar>): void {
  tf.dispose([...new Set(Object.values(metrics))]);
}
