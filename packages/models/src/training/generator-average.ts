import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointTensor } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import { ParameterAverage, withAveragedParameters } from './parameter-average.js';

/**
 * The generator average (Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging in GAN Training"; Karras et
 * al. 2018 sample every ProGAN result from one): a moving average of G's trainable weights, which samples are drawn
 * from, while training goes on with the trained weights. It is a ParameterAverage (plain mean while the count is
 * below 1/rate, then an EMA), updated once per training step.
 *
 * Batch-norm moving statistics are not trained parameters: the averaged generator uses the trained one's, as
 * ProGAN's Gs and Yazıcı et al. do (their generators have no batch norm, or keep its statistics as they are).
 * Recomputing them for the averaged weights would need a pass over the data at every sampling point.
 */

/** Where the trainer keeps the average in TrainingState.extra (its own form, before a checkpoint is written). */
export const GENERATOR_AVERAGE_PREFIX = 'generator_average/generator';
/**
 * Where a checkpoint keeps the generator's trained weights when its `generator` tensors are the averaged ones:
 * `trained/generator/<layer>/<param>`. A resumed run puts them back into the network it trains.
 */
export const TRAINED_GENERATOR_PREFIX = 'trained/generator';

/** The generator's average at `rate`, or undefined when off (no rate, or 0). */
export function generatorAverageFor(generator: Network, rate: number | undefined): ParameterAverage | undefined {
  return rate !== undefined && rate > 0 ? new ParameterAverage(generator, GENERATOR_AVERAGE_PREFIX, rate) : undefined;
}

/**
 * Runs `draw` with the generator's trainable variables holding the average, then puts the trained values back
 * (copies: training continues bit for bit). Without an average, `draw` sees the trained generator.
 */
export async function withAveragedWeights<T>(generator: Network, average: ParameterAverage | undefined, draw: (generator: Network) => Promise<T>): Promise<T> {
  if (!average) return draw(generator);
  const vars = generator.trainableVariables;
  const trained = tf.tidy(() => vars.map((v) => v.clone()));
  vars.forEach((v, i) => v.assign(average.values[i]!));
  try {
    return await draw(generator);
  } finally {
    vars.forEach((v, i) => v.assign(trained[i]!));
    tf.dispose(trained);
  }
}

/**
 * A checkpoint's generator tensors and extra tensors as a sampler should read them: when `extra` holds a generator
 * average (GENERATOR_AVERAGE_PREFIX), the generator's trained parameters are replaced by their averages and moved
 * into `extra` under TRAINED_GENERATOR_PREFIX (the average's count stays); otherwise both are returned unchanged.
 * So `checkpoint.generator` is always the weights to sample from: `forger generate`, `forger score`, the web
 * export and the browser sampler need no other rule. Undone by trainingForm.
 */
export function samplingForm(generator: CheckpointTensor[], extra: CheckpointTensor[]): { generator: CheckpointTensor[]; extra: CheckpointTensor[] } {
  const means = averageMeans(extra, GENERATOR_AVERAGE_PREFIX);
  if (means.size === 0) return { generator, extra };
  const { tensors } = withAveragedParameters(generator, [...means.values()], GENERATOR_AVERAGE_PREFIX);
  const trained = generator.filter((t) => means.has(`${GENERATOR_AVERAGE_PREFIX}/${t.name}`)).map((t) => ({ ...t, name: `${TRAINED_GENERATOR_PREFIX}/${t.name}` }));
  checkAllUsed(means, trained.length, GENERATOR_AVERAGE_PREFIX);
  return { generator: tensors, extra: [...extra.filter((t) => !means.has(t.name)), ...trained] };
}

/**
 * The inverse of samplingForm, for a resumed run: the trained parameters back in the generator's tensors, the
 * averages in `extra` under GENERATOR_AVERAGE_PREFIX, where the trainer restores them from.
 */
export function trainingForm(generator: CheckpointTensor[], extra: CheckpointTensor[]): { generator: CheckpointTensor[]; extra: CheckpointTensor[] } {
  const trained = averageMeans(extra, TRAINED_GENERATOR_PREFIX);
  if (trained.size === 0) return { generator, extra };
  const { tensors } = withAveragedParameters(generator, [...trained.values()], TRAINED_GENERATOR_PREFIX);
  const means = generator.filter((t) => trained.has(`${TRAINED_GENERATOR_PREFIX}/${t.name}`)).map((t) => ({ ...t, name: `${GENERATOR_AVERAGE_PREFIX}/${t.name}` }));
  checkAllUsed(trained, means.length, TRAINED_GENERATOR_PREFIX);
  return { generator: tensors, extra: [...extra.filter((t) => !trained.has(t.name)), ...means] };
}

/** The tensors of `extra` under `prefix` but its count, by full name. */
function averageMeans(extra: CheckpointTensor[], prefix: string): Map<string, CheckpointTensor> {
  return new Map(extra.filter((t) => t.name.startsWith(`${prefix}/`) && t.name !== `${prefix}/count`).map((t) => [t.name, t]));
}

/** Every tensor under the prefix must name one of the generator's: otherwise the checkpoint does not match its network. */
function checkAllUsed(byName: Map<string, CheckpointTensor>, matched: number, prefix: string): void {
  if (matched === byName.size) return;
  throw new ModelError('missing-tensor', `training state holds ${byName.size} tensors under "${prefix}/" but the generator has only ${matched} of those names`, { where: prefix });
}
