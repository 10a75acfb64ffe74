import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, Rng, encodeCheckpoint, exportForWeb, type Checkpoint, type ModelSpec } from '@forger/core';
import type { Dataset } from '@forger/data';
import {
  ModelError, buildGan, createTrainer, disposeMetrics, ganFromCheckpoint, readMetrics, trainingForm, type GanNetworks, type GanTrainer, type StepMetrics, type TrainBatch, type TrainOptions,
} from '@forger/models';
import type { CliIo } from '../io/cli-io.js';
import { checkTrainDataLimits } from './usage-limits.js';
import { refreshRunReport } from '../report/write-report.js';
import { EventFileWriter, removeEventFiles } from '../tensorboard/event-file.js';
import { SAMPLES_TAG } from '../tensorboard/events.js';
import { SCORE_FILE_SUFFIX } from '../score/score-file.js';
import { removeStaleTempFiles } from './atomic-write.js';
import { CheckpointStore } from './checkpoint-store.js';
import { familySpec } from './family-spec.js';
import { MetricsLog, readMetrics as readMetricsFile, type MetricsRecord } from './metrics-log.js';
import { createProgressReporter } from './progress-reporter.js';
import { RunError, notResumable } from './run-error.js';
import { RunLock } from './run-lock.js';
import { makeFolder } from './make-folder.js';
import { RunLayout } from './run-layout.js';
import { prepareRunInputs } from './run-inputs.js';
import { SampleNoise } from './sample-noise.js';
import { classColumns, writeSampleGrid } from './sample-png.js';
import { TrainingData, type TrainingBatch } from './training-data.js';
import { SampleClassCounter } from './sample-classes.js';
import { TrainingHealth } from './training-health.js';
import type { HealthThresholds, HealthWarning } from './health-monitor.js';
import { trainingCheckpoint } from './training-checkpoint.js';
import { trainOptionsFor } from './train-options.js';
import { checkResumedDecayLength, runLength } from './run-length.js';
import type { TrainConfig } from './train-config.js';
import { UsageError } from './usage-error.js';

export interface RunTrainingOptions {
  io: CliIo;
  /** A decoded checkpoint with training state, its path (for messages) and the training config stored in it. */
  resumeFrom?: { checkpoint: Checkpoint; path: string; config: TrainConfig };
  /** Written into each checkpoint's provenance note. */
  commandLine?: string;
  /** Tests: called after every step, e.g. to count tensors. */
  afterStep?: (step: number) => void;
  /** The training-health monitor's thresholds (default: DEFAULT_HEALTH_THRESHOLDS, health-monitor.ts). */
  healthThresholds?: HealthThresholds;
}

export interface TrainingResult {
  /** The run's total steps done, counting those before a resume. */
  step: number;
  interrupted: boolean;
  backend: string;
  finalCheckpoint: string;
  /** absent for the supervised baseline, which has no generator */
  webExport?: string;
  finalGrid?: string;
  last?: MetricsRecord;
}

/**
 * One training run: everything that can refuse the inputs (backend, dataset, checkpoint, config) runs before the
 * first file is written; then the loop trains, logs, samples and checkpoints; then the final checkpoint, the web
 * export and the final grid. Losses are read back only at log steps, so a GPU queue is never drained per step.
 */
export async function runTraining(config: TrainConfig, options: RunTrainingOptions): Promise<TrainingResult> {
  const { io } = options;
  // 1. Everything that can fail on the user's inputs, before anything is written.
  const { say, backend, dataset } = await prepareRunInputs(config, io);
  const resumed = options.resumeFrom?.checkpoint;
  const { spec, startStep, data, totalSteps, rng, noise, nets, trainer } = await prepareTraining(config, dataset, options.resumeFrom);
  // 2. The run folder.
  // absolute, so the paths printed at the end work from wherever the user stands (turbo runs us in the package)
  const layout = new RunLayout(resolve(config.out));
  // one owner per run folder, before anything in it is touched (a resumed run takes the same lock)
  const lock = await RunLock.acquire(layout.folder, { command: options.commandLine ?? 'forger train', say });
  try {
    await makeFolder(layout.sampleFolder);
    await makeFolder(layout.checkpointFolder);
    await removeStaleTempFiles(layout.folder);
    await removeStaleTempFiles(layout.checkpointFolder);
    await removeStaleTempFiles(layout.sampleFolder);
    const store = new CheckpointStore(layout);
    const metricsLog = new MetricsLog(layout.metrics);
    if (resumed) {
      await metricsLog.truncateAfter(startStep);
    } else {
      await startAfresh(layout, store, say);
    }
    // TensorBoard: a new event file per start or resume; the earlier ones stay (TensorBoard reads them all)
    const events = await EventFileWriter.create(layout.folder);
    const classCounter = await SampleClassCounter.forRun({ dataset: config.dataset, spec });
    const health = new TrainingHealth({
      dataset, pixelRange: spec.pixelRange, sampleCount: noise.count, stopOn: config.stopOn, earlier: resumed ? await readMetricsFile(layout.metrics) : [],
      ...(options.healthThresholds ? { thresholds: options.healthThresholds } : {}),
      ...(classCounter ? { classCounter } : {}),
    });
    const wallTimeBefore = resumed?.provenance.metrics.wall_time_s ?? 0;
    say(
      `${resumed ? `resuming ${options.resumeFrom!.path} at step ${startStep}` : 'training'}: ${spec.family} (${spec.variant}) on ` +
        `${dataset.name} (${dataset.count} images), ${totalSteps} steps of ${config.batchSize}, backend ${backend.name}, into ${layout.folder}`,
    );

    // 3. The loop.
    const reporter = createProgressReporter({ totalSteps, startStep, startWallTimeS: wallTimeBefore, stream: io.stdout, quiet: config.quiet, batchSize: config.batchSize });
    const note = (line: string): void => reporter.note(line);
    const started = performance.now();
    let lastRead = { time: started, step: startStep };
    let last: MetricsRecord | undefined;
    let step = startStep;
    let epoch = data.epoch;
    const interrupted = (): boolean => io.interrupt?.aborted === true;

    const checkpointNow = (): Promise<Checkpoint> =>
      // the provenance carries the last scalars read, and the wall time of the whole run (across resumes)
      trainingCheckpoint({
        spec, trainer, rng, data, noise, config, step, epoch, backend: backend.name, metrics: last, note: options.commandLine ?? 'forger train',
      }).catch(async (error: unknown) => {
        // non-finite weights: say which checkpoint to go back to, as a diverged loss does
        if (error instanceof RunError && error.code === 'diverged') {
          throw new RunError('diverged', `${error.message} ${await lastGoodAdvice(store, layout)}`, { where: error.where, cause: error });
        }
        throw error;
      });

    try {
      while (step < totalSteps && !interrupted()) {
        const batch = data.next(step + 1 === config.injectNanAtStep);
        // under --lr-decay the step's rates go into its record, so metrics.jsonl and TensorBoard show the schedule
        const rates = config.lrDecay === 'linear' ? trainer.learningRates : undefined;
        const metrics = await trainStep(trainer, batch, spec, rng);
        step += 1;
        epoch = batch.epoch;
        const stopping = step === totalSteps || interrupted();
        // a grid's images are read back before the step's record, which carries their spread (the collapse check)
        const sampleImages = step % config.sampleEvery === 0 && !stopping ? await trainer.withSamplingWeights((generator) => noise.generate(generator, spec)) : undefined;
        if (sampleImages) {
          const grid = await writeSampleGrid(layout.sampleGrid(step), sampleImages, noise.shape(spec.image), spec.pixelRange, classColumns(spec));
          await events.writeImage(SAMPLES_TAG, step, grid);
        }
        if (step % config.logEvery === 0 || step % config.checkpointEvery === 0 || sampleImages || stopping) {
          const values = await readMetrics(metrics);
          const gridScalars = sampleImages ? await health.sampleScalars(sampleImages, noise.count) : {};
          disposeMetrics(metrics);
          const now = performance.now();
          last = {
            step, epoch,
            d_loss: values.dLoss!, g_loss: values.gLoss!, d_real: values.dReal!, d_fake: values.dFake!,
            images_per_second: ((step - lastRead.step) * config.batchSize) / ((now - lastRead.time) / 1000),
            wall_time_s: wallTimeBefore + (now - started) / 1000,
            ...extraScalars(values),
            ...(rates ? { g_lr: rates.generator, d_lr: rates.discriminator } : {}),
            ...gridScalars,
          };
          lastRead = { time: now, step };
          await metricsLog.append(last);
          await events.writeScalars(step, scalarsOf(last));
          reporter.update(last);
          const unhealthy = await health.check(last, { log: metricsLog, note, events });
          if (unhealthy) await stopUnhealthy(unhealthy, store, layout, io);
        } else {
          disposeMetrics(metrics);
          reporter.tick(step);
        }
        if (step % config.checkpointEvery === 0 && !stopping) {
          const path = await store.writeStep(step, encodeCheckpoint(await checkpointNow()), health.protectedBefore());
          note(`checkpoint ${path}`);
          await refreshRunReport(layout.folder, io.stderr);
          lastRead.time = performance.now(); // images/s counts training, not checkpoint writing
        }
        options.afterStep?.(step);
      }
    } finally {
      reporter.stop();
    }

    // 4. The end of the run, or of its interrupted part: a resumable final checkpoint, the web export and a grid.
    const final = await checkpointNow();
    const web = webExportOf(final);
    const paths = await store.writeFinal(encodeCheckpoint(final), web.bytes);
    if (web.refused) io.stderr.write(`warning: final.web.forger not written: ${web.refused}\n`);
    const finalGrid = await writeSampleGrid(layout.finalGrid, await trainer.withSamplingWeights((generator) => noise.generate(generator, spec)), noise.shape(spec.image), spec.pixelRange, classColumns(spec));
    await events.writeImage(SAMPLES_TAG, step, finalGrid);
    const report = await refreshRunReport(layout.folder, io.stderr);
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
    health.dispose();

    const wasInterrupted = step < totalSteps;
    say(
      [
        wasInterrupted ? `interrupted at step ${step} of ${totalSteps}: state saved.` : `done: ${step} steps.`,
        `  checkpoint   ${paths.checkpoint}${wasInterrupted ? `   (continue: forger train --resume ${paths.checkpoint})` : ''}`,
        paths.webExport === undefined
          ? `  web export   none: its weights do not fit float16 (see the warning); try forger export --dtype int8`
          : `  web export   ${paths.webExport}   (generator only, float16)`,
        `  sample grid  ${layout.finalGrid}`,
        `  metrics      ${layout.metrics}   (TensorBoard: tensorboard --logdir ${layout.folder})`,
        `  health       ${health.summary()}`,
        ...(report ? [`  report       ${report}`] : []),
        ...(paths.webExport === undefined ? [] : [`open it in the demo: pnpm --filter @forger/demo dev, then drop ${paths.webExport} on the page`]),
        // the reference classifier that ships is MNIST's; other datasets need their own (see forger score)
        ...(config.dataset === 'mnist' ? [`sample quality (FID, Inception score): forger score --checkpoint ${paths.checkpoint}`] : []),
      ].join('\n'),
    );
    return {
      step, interrupted: wasInterrupted, backend: backend.name, finalCheckpoint: paths.checkpoint, webExport: paths.webExport,
      finalGrid: layout.finalGrid, ...(last ? { last } : {}),
    };
  } finally {
    await lock.release();
  }
}

/** A checkpoint with the generator's trained weights in `generator` and its average in extra (@forger/models' trainingForm). */
function trainingFormOf(checkpoint: Checkpoint): Checkpoint {
  if (!checkpoint.training) return checkpoint;
  const { generator, extra } = trainingForm(checkpoint.generator, checkpoint.training.extra);
  return { ...checkpoint, generator, training: { ...checkpoint.training, extra } };
}

/** The networks of a checkpoint that can train: a web export has no discriminator. */
function networksOf(checkpoint: Checkpoint, path: string): GanNetworks {
  const nets = ganFromCheckpoint(checkpoint);
  if (!nets.discriminator) {
    nets.generator.dispose();
    throw new RunError('not-resumable', `${path} has no discriminator weights, so training cannot continue from it`, { where: path });
  }
  return { generator: nets.generator, discriminator: nets.discriminator };
}

function checkDatasetFits(spec: ModelSpec, dataset: Dataset, flag: string): void {
  const a = spec.image;
  const b = dataset.image;
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new RunError('bad-data', `--dataset ${flag} has ${b.height}×${b.width}×${b.channels} images but the model is built for ${a.height}×${a.width}×${a.channels}`, { where: flag }
    );
  }
  if (spec.numClasses > 0 && dataset.numClasses > spec.numClasses) {
    throw new RunError('bad-data', `--dataset ${flag} has ${dataset.numClasses} classes but the model classifies ${spec.numClasses}`, { where: flag });
  }
}

/**
 * A fresh run in a folder that held an earlier run: the earlier checkpoints would outrank the new ones in retention,
 * and its metrics, TensorBoard events, sample grids and scores would mix with the new run's in the report.
 */
async function startAfresh(layout: RunLayout, store: CheckpointStore, say: (line: string) => void): Promise<void> {
  const earlier = await store.stepCheckpoints();
  const hadMetrics = (await readMetricsFile(layout.metrics)).length > 0;
  if (earlier.length > 0 || hadMetrics) {
    say(
      `${layout.folder} holds an earlier run: starting afresh (its ${earlier.length} step checkpoints, metrics, event files, ` +
        'sample grids and scores are replaced; use --resume to continue it)',
    );
  }
  for (const old of earlier) await rm(old.path, { force: true });
  await rm(layout.metrics, { force: true });
  await removeEventFiles(layout.folder);
  await removeEarlierOutputs(layout);
}

/** The sample grids and scores of an earlier run in the folder (readdir: no error when a folder is missing). */
async function removeEarlierOutputs(layout: RunLayout): Promise<void> {
  const names = async (folder: string): Promise<string[]> => readdir(folder).catch(() => []);
  for (const name of await names(layout.sampleFolder)) {
    if (/^step-\d+\.png$/.test(name)) await rm(join(layout.sampleFolder, name), { force: true });
  }
  for (const name of await names(layout.folder)) {
    if (name.endsWith(SCORE_FILE_SUFFIX)) await rm(join(layout.folder, name), { force: true });
  }
  await rm(layout.finalGrid, { force: true });
}

/**
 * A NaN or ±Inf loss (always), or a health condition --stop-on names: stop with the path of the last good checkpoint,
 * and write nothing more but the report (no final.forger: the state now is the unhealthy one). A NaN is a diverged
 * run (exit 3); a --stop-on condition is an unhealthy one (exit 4), whose good checkpoint is the newest from before
 * the condition began.
 */
async function stopUnhealthy(warning: HealthWarning, store: CheckpointStore, layout: RunLayout, io: CliIo): Promise<never> {
  // the report marks the step on the curves: where to look first
  await refreshRunReport(layout.folder, io.stderr);
  const where = String(warning.step);
  if (warning.condition === 'nan') {
    throw new RunError('diverged', `${warning.message}: training diverged. ${await lastGoodAdvice(store, layout)}`, { where });
  }
  const good = await store.lastBefore(warning.sinceStep);
  const advice = good
    ? `The last good checkpoint is ${good.path} (step ${good.step}, before the condition began at step ${warning.sinceStep}): resume from it with changed settings (a lower --lr, a trick of the chapter).`
    : `No checkpoint was written in ${layout.folder} before the condition began at step ${warning.sinceStep}; start again with changed settings.`;
  throw new RunError('unhealthy', `stopped at step ${warning.step} on ${warning.condition} (--stop-on): ${warning.message}. ${advice}`, { where });
}

/** Every logged value but the step (the event's own field) is a TensorBoard scalar, tagged with its metrics.jsonl name. */
function scalarsOf(record: MetricsRecord): Record<string, number> {
  const { step: _step, ...scalars } = record;
  return scalars;
}

/**
 * One step of the loop: a tidy step() whose losses stay on the device, or under the loss-threshold schedule one that
 * reads them back (stepReadingLosses). Exported for the tests that train from flags without a run folder.
 */
export async function trainStep(trainer: GanTrainer, batch: TrainingBatch, spec: ModelSpec, rng: Rng): Promise<StepMetrics> {
  return trainer.readsLossesEachStep ? stepReadingLosses(trainer, batch.toTensors(spec, rng)) : tf.tidy(() => trainer.step(batch.toTensors(spec, rng)));
}

/**
 * One step of a run under the loss-threshold schedule (--d-loss-threshold, --g-loss-threshold): the trainer reads
 * each loss back before deciding on an update, asynchronously (webgpu in Node cannot read synchronously), so the
 * step is awaited and its batch disposed here instead of in a tidy scope.
 */
async function stepReadingLosses(trainer: GanTrainer, batch: TrainBatch): Promise<StepMetrics> {
  try {
    return await trainer.stepAsync(batch);
  } finally {
    tf.dispose([...new Set([batch.real, batch.z, batch.labels, batch.labeledReal].filter((t) => t !== undefined))]);
  }
}

/** Family-specific scalars (ssgan: supervised loss, accuracy) go into metrics.jsonl in snake_case beside the four. */
function extraScalars(values: Record<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'dLoss' || key === 'gLoss' || key === 'dReal' || key === 'dFake') continue;
    extra[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return extra;
}

/**
 * The float16 web export of the final checkpoint, or why there is none: weights beyond float16's ±65504 (a run at a
 * huge learning rate) or NaN/Inf would render a black model in the browser, so the file is not written and the run
 * says so (issue 18). final.forger keeps full float32 precision and stays usable.
 */
function webExportOf(final: Checkpoint): { bytes: Uint8Array; refused?: undefined } | { bytes: undefined; refused: string } {
  try {
    return { bytes: encodeCheckpoint(exportForWeb(final, { dtype: 'float16' })) };
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'not-finite') return { bytes: undefined, refused: error.message };
    throw error;
  }
}

/**
 * Everything a run needs before its first step, from a config and a dataset: the limits, the spec (the family's, or
 * the resumed checkpoint's), the batches, the run's length and the trainer, each refused here (exit 2 or a RunError)
 * before anything is written. runTraining starts every run with it, and tests that train from flags without a run
 * folder do too, so that what they check is the CLI's own way from flags to training.
 */
export async function prepareTraining(config: TrainConfig, dataset: Dataset, resumeFrom: RunTrainingOptions['resumeFrom']) {
  checkTrainDataLimits(config, dataset);
  const resumed = resumeFrom?.checkpoint;
  const spec = resumed ? resumed.spec : familySpec(config, dataset);
  checkDatasetFits(spec, dataset, config.dataset);
  const startStep = resumed?.training?.step ?? 0;
  const data = new TrainingData(dataset, config, resumed);
  const totalSteps = runLength(config, data.batchesPerEpoch);
  if (resumeFrom) checkResumedDecayLength(config, totalSteps, resumeFrom.config, dataset.count);
  if (startStep >= totalSteps) {
    throw new RunError('not-resumable', `${resumeFrom?.path ?? 'the checkpoint'} is at step ${startStep} and the run ends at step ${totalSteps}: nothing to train; give a larger --steps or --epochs`, { where: resumeFrom?.path });
  }
  const started = await startFrom(spec, config, startStep, totalSteps, resumeFrom).catch((error: unknown) => {
    throw resumeFrom ? notResumable(resumeFrom.path, error) : error;
  });
  return { spec, startStep, data, totalSteps, ...started };
}

/** The Rng, sample noise, networks and trainer of a fresh run, or of a resumed one as its checkpoint left them. */
async function startFrom(spec: ModelSpec, config: TrainConfig, startStep: number, totalSteps: number, resumeFrom: RunTrainingOptions['resumeFrom']) {
  // a checkpoint's generator tensors are the ones to sample from: the trained ones go back into the network that trains
  const resumed = resumeFrom ? trainingFormOf(resumeFrom.checkpoint) : undefined;
  const training = resumed?.training;
  const rng = training?.rng ? Rng.fromState(training.rng) : Rng.fromSeed(config.seed).derive('training');
  const noise = SampleNoise.fromCheckpoint(training?.extra) ?? SampleNoise.draw(spec, config.seed);
  const nets: GanNetworks = resumed ? networksOf(resumed, resumeFrom!.path) : buildGan(spec, config.seed);
  let trainer: GanTrainer | undefined;
  try {
    trainer = createTrainerFor(spec, nets, trainOptionsFor(config, rng, startStep, totalSteps));
    if (training) {
      await trainer.restoreOptimizerStates(training.optimizers);
      trainer.restoreExtraTensors(SampleNoise.withoutNoise(training.extra));
    }
  } catch (error) {
    trainer?.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
    throw error;
  }
  return { rng, noise, nets, trainer };
}

/**
 * The trainer, with the trainers' own refusal of a `--historical-window` too long to save (models checks the bound
 * once, before it allocates anything) turned into a usage error that names the flag: exit 2, nothing written.
 */
function createTrainerFor(spec: ModelSpec, nets: GanNetworks, options: TrainOptions): GanTrainer {
  try {
    return createTrainer(spec, nets, options);
  } catch (error) {
    if (!(error instanceof ModelError && error.where === 'historicalWindow')) throw error;
    throw new UsageError('usage', `--historical-window ${options.historicalWindow} cannot apply to the ${spec.variant} networks: ${error.message}`,
      { where: '--historical-window', cause: error });
  }
}

/** Where a diverged run goes back to: its newest step checkpoint (every one on disk has finite weights), if any. */
async function lastGoodAdvice(store: CheckpointStore, layout: RunLayout): Promise<string> {
  const lastGood = (await store.stepCheckpoints()).at(-1)?.path;
  return lastGood
    ? `The last good checkpoint is ${lastGood}: resume from it with a lower --lr.`
    : `No checkpoint was written in ${layout.folder} before it; start again with a lower --lr.`;
}
