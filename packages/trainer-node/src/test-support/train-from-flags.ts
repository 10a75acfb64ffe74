import type { Dataset } from '@forger/data';
import { disposeMetrics, readMetrics } from '@forger/models';
import { resolveTrainConfig } from '../cli/train-flags.js';
import { startBackend } from '../run/start-backend.js';
import { prepareTraining, trainStep } from '../run/training-run.js';
import { checkTrainFlagLimits } from '../run/usage-limits.js';
import { captureIo } from './capture-io.js';
import { parseTrainFlags } from './run-cli.js';

/** What a few steps of training leave behind: the losses of each step, the trained weights and the ones sampled from. */
export interface TrainedFromFlags {
  losses: number[];
  /** every trainable variable of G, then of D, as trained */
  trained: Float32Array[];
  /** G's variables as samples, grids and the exported model are drawn from them (the generator average, if any) */
  sampled: Float32Array[];
}

/**
 * `forger train <args>` in this process on a dataset in memory, without a run folder: the CLI's own way from flags to
 * a config (resolveTrainConfig), then the spec, batches, length, networks and trainer (prepareTraining) and steps (trainStep),
 * so a flag that reaches none of them shows as unchanged training. For tests that compare switches: a CLI run's
 * files and backend start-up cost seconds each, this milliseconds on tiny images.
 */
export async function trainFromFlags(args: readonly string[], dataset: Dataset): Promise<TrainedFromFlags> {
  const config = resolveTrainConfig(parseTrainFlags([...args]));
  checkTrainFlagLimits(config);
  await startBackend(config.backend, captureIo(), () => {}, config.wasmThreads);
  const { spec, data, totalSteps, rng, nets, trainer } = await prepareTraining(config, dataset, undefined);
  try {
    const losses: number[] = [];
    for (let step = 0; step < totalSteps; step++) {
      const metrics = await trainStep(trainer, data.next(), spec, rng);
      const values = await readMetrics(metrics);
      disposeMetrics(metrics);
      losses.push(values['dLoss']!, values['gLoss']!);
    }
    const read = (variables: readonly { dataSync(): unknown }[]): Float32Array[] => variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    const trained = [...read(nets.generator.trainableVariables), ...read(nets.discriminator.trainableVariables)];
    const sampled = await trainer.withSamplingWeights(async (generator) => read(generator.trainableVariables));
    return { losses, trained, sampled };
  } finally {
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  }
}

/** A dataset of `count` h×w grey images in memory, `classes` classes in turn, pixels a fixed pattern. */
export function tinyDataset(options: { size: number; count: number; classes: number }): Dataset {
  const { size, count, classes } = options;
  return {
    name: 'tiny', split: 'train', count, image: { height: size, width: size, channels: 1 }, numClasses: classes,
    classNames: Array.from({ length: classes }, (_, i) => String(i)),
    images: Uint8Array.from({ length: count * size * size }, (_, i) => (i * 37 + (i >> 3) * 11) % 256),
    labels: Uint8Array.from({ length: count }, (_, i) => i % classes),
  };
}
