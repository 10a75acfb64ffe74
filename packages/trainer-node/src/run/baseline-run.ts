import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, encodeCheckpoint, type Checkpoint, type ModelSpec } from '@forger/core';
import { BatchIterator, labeledSubset, toFloatBatch } from '@forger/data';
import {
  ClassifierTrainer, buildClassifier, classifierFromCheckpoint, classifierSpec, semiSupervisedOptimizers, type Network,
} from '@forger/models';
import { refreshRunReport } from '../report/write-report.js';
import { EventFileWriter, removeEventFiles } from '../tensorboard/event-file.js';
import { checkTrainDataLimits } from './usage-limits.js';
import { FORGER_VERSION } from '../version.js';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';
import { CheckpointStore } from './checkpoint-store.js';
import { makeFolder } from './make-folder.js';
import { familySpec } from './family-spec.js';
import { MetricsLog } from './metrics-log.js';
import { RunError, notResumable } from './run-error.js';
import { runLength } from './run-length.js';
import { RunLayout } from './run-layout.js';
import { RunLock } from './run-lock.js';
import { prepareRunInputs } from './run-inputs.js';
import { storedConfig } from './training-checkpoint.js';
import type { RunTrainingOptions, TrainingResult } from './training-run.js';
import type { TrainConfig } from './train-config.js';

/**
 * Issue 6's supervised baseline (`forger train --model ssgan --supervised-only`): the very discriminator network of
 * the semi-supervised recipe, with the same initial weights (same seed), the same labeled images and the same
 * discriminator optimizer, trained as a plain classifier, with no generator and no unlabeled images. `forger eval`
 * then reads both checkpoints the same way, so the gain from the GAN is measured, not assumed.
 */
export async function runBaseline(config: TrainConfig, options: RunTrainingOptions): Promise<TrainingResult> {
  const { io } = options;
  // 1. Everything that can fail on the user's inputs, before anything is written.
  const { say, backend, dataset } = await prepareRunInputs(config, io);
  checkTrainDataLimits(config, dataset);
  const resumed = options.resumeFrom?.checkpoint;
  const training = resumed?.training;
  const spec: ModelSpec = resumed ? resumed.spec : classifierSpec(familySpec(config, dataset));
  const labeled = config.labeledCount === undefined
    ? undefined
    : labeledSubset(dataset, { labeledCount: config.labeledCount, seed: config.seed }).labeled;
  const batches = new BatchIterator(dataset, {
    batchSize: Math.min(config.batchSize, labeled?.length ?? dataset.count),
    seed: config.seed,
    dropLast: true,
    ...(labeled ? { indices: labeled } : {}),
    ...(training?.data ? { position: training.data } : {}),
  });
  const startStep = training?.step ?? 0;
  const totalSteps = runLength(config, batches.batchesPerEpoch);
  if (startStep >= totalSteps) {
    throw new RunError('not-resumable', `the checkpoint is at step ${startStep} and the run ends at step ${totalSteps}: give a larger --steps`, { where: options.resumeFrom?.path });
  }
  // a checkpoint that decodes but cannot continue: a RunError naming the file (RngError, ModelError as its cause)
  const resuming = <T>(part: () => T): T => {
    try {
      return part();
    } catch (error) {
      throw options.resumeFrom ? notResumable(options.resumeFrom.path, error) : error;
    }
  };
  const rng = resuming(() => (training?.rng ? Rng.fromState(training.rng) : Rng.fromSeed(config.seed).derive('training')));
  // buildClassifier draws the same initial weights as the GAN's discriminator of the same seed
  const classifier: Network = resuming(() => (resumed ? classifierFromCheckpoint(resumed) : buildClassifier(spec, config.seed)));
  const sslLoss = config.sslLoss ?? 'ssgan';
  const optimizer = semiSupervisedOptimizers(sslLoss, { learningRate: config.lr, beta1: config.beta1 }).discriminator;
  const trainer = new ClassifierTrainer(spec, classifier, {
    optimizer, rng, startStep, sslLoss, ...(config.evalAverage !== undefined ? { evaluationAverageRate: config.evalAverage } : {}),
  });
  if (training) {
    try {
      await trainer.restoreOptimizerStates(training.optimizers);
      trainer.restoreExtraTensors(training.extra);
    } catch (error) {
      trainer.dispose();
      classifier.dispose();
      throw notResumable(options.resumeFrom!.path, error);
    }
  }

  // 2. The run folder.
  const layout = new RunLayout(resolve(config.out));
  // one owner per run folder, before anything in it is touched (a resumed run takes the same lock)
  const lock = await RunLock.acquire(layout.folder, { command: options.commandLine ?? 'forger train --supervised-only', say });
  try {
    await makeFolder(layout.checkpointFolder);
    await removeStaleTempFiles(layout.folder);
    await removeStaleTempFiles(layout.checkpointFolder);
    const store = new CheckpointStore(layout);
    const metricsLog = new MetricsLog(layout.metrics);
    if (resumed) {
      await metricsLog.truncateAfter(startStep);
    } else {
      for (const old of await store.stepCheckpoints()) await rm(old.path, { force: true });
      await rm(layout.metrics, { force: true });
      await removeEventFiles(layout.folder);
    }
    const events = await EventFileWriter.create(layout.folder);
    say(
      `${resumed ? `resuming at step ${startStep}` : 'training'} the supervised baseline: ${spec.variant} on ` +
        `${labeled?.length ?? dataset.count} labeled ${dataset.name} images, ${totalSteps} steps, backend ${backend.name}, into ${layout.folder}`,
    );

    // 3. The loop.
    const { height, width, channels } = spec.image;
    const wallTimeBefore = resumed?.provenance.metrics.wall_time_s ?? 0;
    const started = performance.now();
    let lastRead = { time: started, step: startStep };
    let last: Record<string, number> | undefined;
    let step = startStep;
    let epoch = batches.position().epoch;
    const checkpointNow = async (): Promise<Checkpoint> => {
      const discriminator = await classifier.readCheckpointTensors();
      return {
        spec,
        generator: [],
        discriminator,
        training: {
          step, epoch, optimizers: await trainer.optimizerStates(), rng: rng.state(), data: batches.position(),
          configJson: JSON.stringify(storedConfig(config)), extra: await trainer.extraTensors(),
        },
        provenance: {
          createdAt: new Date().toISOString(), forgerVersion: FORGER_VERSION, backend: backend.name, dataset: config.dataset,
          metrics: last ? Object.fromEntries(Object.entries(last).filter(([k, v]) => k !== 'step' && k !== 'epoch' && Number.isFinite(v))) : {},
          note: options.commandLine ?? 'forger train --supervised-only',
        },
      };
    };
    const interrupted = (): boolean => io.interrupt?.aborted === true;
    while (step < totalSteps && !interrupted()) {
      const batch = batches.next();
      const values = toFloatBatch(batch.images, spec.pixelRange);
      if (step + 1 === config.injectNanAtStep) values.fill(Number.NaN);
      const result = tf.tidy(() =>
        trainer.step({ labeledReal: tf.tensor4d(values, [batch.count, height, width, channels]), labels: tf.tensor1d(batch.labels, 'int32') }),
      );
      step += 1;
      epoch = batch.epoch;
      const stopping = step === totalSteps || interrupted();
      if (step % config.logEvery === 0 || step % config.checkpointEvery === 0 || stopping) {
        const [loss, accuracy] = [(await result.loss.data())[0]!, (await result.accuracy.data())[0]!];
        const now = performance.now();
        last = {
          step, epoch, loss, accuracy,
          images_per_second: ((step - lastRead.step) * batch.count) / ((now - lastRead.time) / 1000),
          wall_time_s: wallTimeBefore + (now - started) / 1000,
        };
        lastRead = { time: now, step };
        await metricsLog.append({ step, ...last });
        await events.writeScalars(step, Object.fromEntries(Object.entries(last).filter(([key]) => key !== 'step')));
        say(`step ${step}/${totalSteps} epoch ${epoch} loss ${loss.toFixed(4)} batch accuracy ${accuracy.toFixed(3)} ${Math.round(last.images_per_second!)} img/s`);
        if (!Number.isFinite(loss)) {
          const lastGood = (await store.stepCheckpoints()).at(-1)?.path;
          await refreshRunReport(layout.folder, io.stderr);
          throw new RunError('diverged', `loss is ${loss} at step ${step}: training diverged.${lastGood ? ` The last good checkpoint is ${lastGood}.` : ''}`, { where: String(step) });
        }
      }
      result.loss.dispose();
      result.accuracy.dispose();
      if (step % config.checkpointEvery === 0 && !stopping) {
        say(`checkpoint ${await store.writeStep(step, encodeCheckpoint(await checkpointNow()))}`);
        await refreshRunReport(layout.folder, io.stderr);
        lastRead.time = performance.now();
      }
      options.afterStep?.(step);
    }

    // 4. A classifier has no generator: no web export, no grid.
    const final = layout.finalCheckpoint;
    await writeFileAtomic(final, encodeCheckpoint(await checkpointNow()));
    const report = await refreshRunReport(layout.folder, io.stderr);
    trainer.dispose();
    classifier.dispose();
    const wasInterrupted = step < totalSteps;
    say(
      `${wasInterrupted ? `interrupted at step ${step} of ${totalSteps}: state saved.` : `done: ${step} steps.`}\n` +
        `  checkpoint   ${final}\n  metrics      ${layout.metrics}   (TensorBoard: tensorboard --logdir ${layout.folder})\n` +
        (report ? `  report       ${report}\n` : '') +
        `test error: forger eval --checkpoint ${final}`,
    );
    return { step, interrupted: wasInterrupted, backend: backend.name, finalCheckpoint: final };
  } finally {
    await lock.release();
  }
}
