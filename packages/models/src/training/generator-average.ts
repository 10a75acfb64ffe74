import * as tf from '@tensorflow/tfjs-core';
import { Rng, float32ToCheckpointTensor, type CheckpointTensor, type ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import { cyclingLabels, generatorInput, isConditional } from '../acgan/conditioning.js';
import { latentBatch } from './latent.js';
import { ParameterAverage, withAveragedParameters } from './parameter-average.js';
import type { GanTrainer } from './types.js';

/**
 * The generator average (Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging in GAN Training"; Karras et
 * al. 2018 sample every ProGAN result from one): a moving average of G's trainable weights, which samples are drawn
 * from, while training goes on with the trained weights. It is a ParameterAverage (plain mean while the count is
 * below 1/rate, then an EMA), updated once per training step.
 *
 * Batch-norm moving statistics are not trained parameters, and the trained generator's are the statistics of
 * another network's activations: normalising the averaged weights' activations by them cost the radford DCGAN
 * 16–30 FID points after one epoch and 1.2–1.5 after four and five in issue 16's runs. A generator's input is
 * noise, so its statistics for the averaged weights cost only a few forward passes: when the average is lent
 * (withAveragedWeights) after it moved, they are estimated from AVERAGE_STATISTICS_BATCHES batches of fixed latent
 * vectors (the same at every sampling point, so a checkpoint is a function of the weights), and a checkpoint's
 * generator holds them (samplingForm's `statistics`, read by samplingStatistics).
 */

/** Where the trainer keeps the average in TrainingState.extra (its own form, before a checkpoint is written). */
export const GENERATOR_AVERAGE_PREFIX = 'generator_average/generator';
/**
 * Where a checkpoint keeps the generator's trained weights when its `generator` tensors are the averaged ones:
 * `trained/generator/<layer>/<param>`. A resumed run puts them back into the network it trains.
 */
export const TRAINED_GENERATOR_PREFIX = 'trained/generator';

/**
 * Where a checkpoint keeps the trained generator's batch-norm moving statistics when its `generator` holds those
 * estimated for the averaged weights: `trained-statistics/generator/<layer>/<param>`. Not under
 * TRAINED_GENERATOR_PREFIX: these have no average to move back into.
 */
export const TRAINED_STATISTICS_PREFIX = 'trained-statistics/generator';

/** The averaged generator's batch-norm statistics are the mean over this many batches of … */
export const AVERAGE_STATISTICS_BATCHES = 8;
/** … this many latent vectors each (2,048 in all: per channel, millions of activations at 7×7 and up). */
export const AVERAGE_STATISTICS_BATCH_SIZE = 256;
/** The seed of those latent vectors and of any sampling-time dropout in the pass, apart from the run's Rng. */
const AVERAGE_STATISTICS_SEED = 'generator-average-statistics';

/**
 * A generator's average (a ParameterAverage under GENERATOR_AVERAGE_PREFIX) that also keeps the batch-norm statistics
 * last estimated for it, until it next moves. They are a function of the averaged weights alone (fixed latent
 * vectors, a fixed seed), and a step that writes both a sample grid and a checkpoint, as the end of every run does,
 * lends the average twice: the second lending reuses the first's estimate, the same values bit for bit.
 */
export class GeneratorAverage extends ParameterAverage {
  /** The moving statistics estimated for the average as it is now; undefined until estimated, and after it moves. */
  private estimated: tf.Tensor[] | undefined;

  constructor(generator: Network, private readonly spec: ModelSpec, rate: number) {
    super(generator, GENERATOR_AVERAGE_PREFIX, rate);
  }

  override update(): void {
    super.update();
    this.forgetStatistics();
  }

  override restore(tensors: CheckpointTensor[], what: string): void {
    super.restore(tensors, what);
    this.forgetStatistics();
  }

  /**
   * Sets the generator's batch-norm moving statistics to those of the averaged weights, which it must hold:
   * estimated (estimateAveragedStatistics) once per position of the average, then copied from that estimate.
   */
  useAveragedStatistics(): void {
    const statistics = this.network.movingStatistics;
    if (statistics.length === 0) return;
    if (this.estimated) {
      statistics.forEach((v, i) => v.assign(this.estimated![i]!));
      return;
    }
    estimateAveragedStatistics(this.network, this.spec);
    this.estimated = tf.tidy(() => statistics.map((v) => v.clone()));
  }

  override dispose(): void {
    this.forgetStatistics();
    super.dispose();
  }

  private forgetStatistics(): void {
    if (this.estimated) tf.dispose(this.estimated);
    this.estimated = undefined;
  }
}

/** The generator's average at `rate`, or undefined when off (no rate, or 0). */
export function generatorAverageFor(generator: Network, spec: ModelSpec, rate: number | undefined): GeneratorAverage | undefined {
  return rate !== undefined && rate > 0 ? new GeneratorAverage(generator, spec, rate) : undefined;
}

/**
 * Runs `draw` with the generator's trainable variables holding the average and, where it has batch norm, moving
 * statistics estimated for those weights (GeneratorAverage.useAveragedStatistics); then puts the trained values back
 * (copies: training continues bit for bit). Without an average, `draw` sees the trained generator.
 */
export async function withAveragedWeights<T>(generator: Network, average: GeneratorAverage | undefined, draw: (generator: Network) => Promise<T>): Promise<T> {
  if (!average) return draw(generator);
  const weights = generator.trainableVariables;
  const lent = [...weights, ...generator.movingStatistics];
  const trained = tf.tidy(() => lent.map((v) => v.clone()));
  try {
    weights.forEach((v, i) => v.assign(average.values[i]!));
    average.useAveragedStatistics();
    return await draw(generator);
  } finally {
    lent.forEach((v, i) => v.assign(trained[i]!));
    tf.dispose(trained);
  }
}

/**
 * Sets the generator's batch-norm moving statistics to those of the weights it holds (Network.estimateBatchNormStatistics)
 * over AVERAGE_STATISTICS_BATCHES batches of fixed latent vectors, drawn as sampling draws them (every class in turn
 * for a conditional generator). Nothing to do without batch norm.
 */
export function estimateAveragedStatistics(generator: Network, spec: ModelSpec): void {
  if (generator.movingStatistics.length === 0) return;
  const rng = Rng.fromSeed(0).derive(AVERAGE_STATISTICS_SEED);
  const n = AVERAGE_STATISTICS_BATCH_SIZE;
  generator.estimateBatchNormStatistics((k) => {
    const z = latentBatch(spec, n, rng);
    return isConditional(spec) ? generatorInput(spec, z, cyclingLabels(spec, n, k * n)) : z;
  }, AVERAGE_STATISTICS_BATCHES, { rng });
}

/**
 * The batch-norm moving statistics of the generator that samples are drawn from, as checkpoint tensors (for
 * samplingForm): with an average, those estimated for the averaged weights. Only the statistics are read back from
 * the device, not the weights; nothing without batch norm.
 */
export async function samplingStatistics(trainer: Pick<GanTrainer, 'generator' | 'withSamplingWeights'>): Promise<CheckpointTensor[]> {
  if (trainer.generator.movingStatistics.length === 0) return [];
  return trainer.withSamplingWeights((g) =>
    Promise.all(g.movingStatistics.map(async (v) => float32ToCheckpointTensor(g.parameterName(v), v.shape, (await v.data()) as Float32Array))),
  );
}

/**
 * A checkpoint's generator tensors and extra tensors as a sampler should read them: when `extra` holds a generator
 * average (GENERATOR_AVERAGE_PREFIX), the generator's trained parameters are replaced by their averages and moved
 * into `extra` under TRAINED_GENERATOR_PREFIX (the average's count stays), and its batch-norm moving statistics by
 * `statistics`, those estimated for the averaged weights (what withAveragedWeights lends), the trained ones moved
 * under TRAINED_STATISTICS_PREFIX; otherwise both are returned unchanged. So `checkpoint.generator` is always the
 * weights to sample from: `forger generate`, `forger score`, the web export and the browser sampler need no other
 * rule. Undone by trainingForm.
 */
export function samplingForm(generator: CheckpointTensor[], extra: CheckpointTensor[], statistics: CheckpointTensor[] = []): { generator: CheckpointTensor[]; extra: CheckpointTensor[] } {
  const means = averageMeans(extra, GENERATOR_AVERAGE_PREFIX);
  if (means.size === 0) return { generator, extra };
  const { tensors } = withAveragedParameters(generator, [...means.values()], GENERATOR_AVERAGE_PREFIX);
  const trained = generator.filter((t) => means.has(`${GENERATOR_AVERAGE_PREFIX}/${t.name}`)).map((t) => ({ ...t, name: `${TRAINED_GENERATOR_PREFIX}/${t.name}` }));
  checkAllUsed(means, trained.length, GENERATOR_AVERAGE_PREFIX);
  const estimated = new Map(statistics.map((t) => [t.name, t]));
  const trainedStatistics = generator.filter((t) => estimated.has(t.name)).map((t) => ({ ...t, name: `${TRAINED_STATISTICS_PREFIX}/${t.name}` }));
  if (trainedStatistics.length !== estimated.size) {
    throw new ModelError('missing-tensor', `${estimated.size} estimated statistics were given for the averaged generator, but it has only ${trainedStatistics.length} of those names`, { where: TRAINED_STATISTICS_PREFIX });
  }
  return {
    generator: tensors.map((t) => estimated.get(t.name) ?? t),
    extra: [...extra.filter((t) => !means.has(t.name)), ...trained, ...trainedStatistics],
  };
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
  // the estimated statistics are dropped: the next sampling point estimates them again from the average
  const statistics = averageMeans(extra, TRAINED_STATISTICS_PREFIX);
  const restored = withAveragedParameters(tensors, [...statistics.values()], TRAINED_STATISTICS_PREFIX).tensors;
  checkAllUsed(statistics, generator.filter((t) => statistics.has(`${TRAINED_STATISTICS_PREFIX}/${t.name}`)).length, TRAINED_STATISTICS_PREFIX);
  return { generator: restored, extra: [...extra.filter((t) => !trained.has(t.name) && !statistics.has(t.name)), ...means] };
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
