import { Command, Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from '@forger/core';
import { BatchIterator, firstExamples, toFloatBatch, type Dataset } from '@forger/data';
import { NAMED_DATASETS, isNamedDataset, loadDataset } from '@forger/data/node';
import { EVALUATION_AVERAGE_PREFIX, Network, classify, discriminatorInputShape, withAveragedParameters } from '@forger/models';
import type { BackendChoice } from '../backends/index.js';
import { checkpointDataset } from '../run/checkpoint-dataset.js';
import { datasetSource } from '../run/dataset-source.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { RunError } from '../run/run-error.js';
import { startBackend } from '../run/start-backend.js';
import { createTaskProgress } from '../run/task-progress.js';
import { backendOption, wasmThreadsOption } from './backend-option.js';
import { CHECKPOINT_INPUT, addCheckpointInput, checkpointPathOf } from './checkpoint-input.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { requireInputs } from './required-flags.js';
import { positiveInteger } from './value-parsers.js';

interface EvalFlags {
  checkpoint?: string;
  json?: boolean;
  dataset?: string;
  dataDir?: string;
  batchSize: number;
  limit?: number;
  backend: BackendChoice;
  wasmThreads?: number;
  weights: EvalWeights;
}

/** 'average': the moving average of the discriminator's weights when the checkpoint has one (else the trained weights); 'trained': the weights as trained. */
export type EvalWeights = 'average' | 'trained';

/** What `forger eval` reports (and prints with --json). */
export interface EvalReport {
  checkpoint: string;
  dataset: string;
  split: 'test';
  count: number;
  accuracy: number;
  error: number;
  classNames: string[];
  /** confusion[true label][predicted label] */
  confusion: number[][];
  backend: string;
  /** which discriminator weights classified: the evaluation average (see `forger train --eval-average`) or the trained ones */
  weights: EvalWeights;
}

/**
 * `forger eval`: the discriminator of a semi-supervised (or classifier) checkpoint as a classifier, on the held-out
 * test split, which training never reads (issue 6: 10,000 MNIST test images).
 */
export function evalCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('eval').description("test-set accuracy and confusion matrix of an ssgan/classifier checkpoint's discriminator");
  return addCheckpointInput(command, 'a .forger file with a classifying discriminator')
    .option('--json', 'print the report as JSON')
    .option('--dataset <name|path>', "mnist, cifar10, svhn or a test IDX images file (default: the checkpoint's dataset)")
    .option('--data-dir <dir>', 'folder of the CIFAR-10 or SVHN files')
    .option('--batch-size <n>', 'images per forward pass', positiveInteger, 500)
    .option('--limit <n>', 'only the first n test images (a quick look; the reported figure is then not the test error)', positiveInteger)
    .addOption(backendOption('auto'))
    .addOption(wasmThreadsOption())
    .addOption(
      new Option('--weights <which>', "average: the moving average of D's weights saved by training, when there is one; trained: the weights as trained")
        .choices(['average', 'trained'])
        .default('average'),
    )
    .action(async (positional: string | undefined, flags: EvalFlags) => {
      const given = checkpointPathOf(positional, flags.checkpoint);
      requireInputs([[CHECKPOINT_INPUT, given]]);
      const path = given!;
      const checkpoint = (await readCheckpointFile(path)).checkpoint;
      const datasetFlag = flags.dataset ?? trainedDataset(checkpoint, path);
      const backend = await startBackend(flags.backend, io, (line) => io.stderr.write(`${line}\n`), flags.wasmThreads);
      const full = await loadDataset(datasetSource(datasetFlag), { split: 'test', ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
      const test = flags.limit !== undefined ? firstExamples(full, flags.limit) : full;
      const progress = createTaskProgress({ label: 'classifying', total: test.count, unit: 'images', stream: io.stderr });
      let report;
      try {
        report = await evaluateClassifier(checkpoint, test, {
          checkpoint: path, batchSize: flags.batchSize, backend: backend.name, weights: flags.weights, onImages: (n) => progress.advance(n),
        });
      } finally {
        progress.stop();
      }
      io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatEvalReport(report));
      setExitCode(ExitCode.ok);
    });
}

export async function evaluateClassifier(
  checkpoint: Checkpoint,
  test: Dataset,
  opts: { checkpoint: string; batchSize: number; backend: string; weights?: EvalWeights; onImages?: (count: number) => void },
): Promise<EvalReport> {
  const { spec } = checkpoint;
  if (spec.numClasses <= 0 || checkpoint.discriminator.length === 0) {
    throw new RunError('bad-data', `${opts.checkpoint} is a ${spec.family} checkpoint ${checkpoint.discriminator.length === 0 ? 'without a discriminator' : 'whose discriminator has no classes'}: eval needs an ssgan or classifier checkpoint`, { where: opts.checkpoint }
    );
  }
  const { height, width, channels } = spec.image;
  if (test.image.height !== height || test.image.width !== width || test.image.channels !== channels) {
    throw new RunError('bad-data', `${test.name} test images are ${test.image.height}×${test.image.width}×${test.image.channels}, the model reads ${height}×${width}×${channels}`, { where: test.name });
  }
  const averaged = (opts.weights ?? 'average') === 'average'
    ? withAveragedParameters(checkpoint.discriminator, checkpoint.training?.extra ?? [], EVALUATION_AVERAGE_PREFIX)
    : { tensors: checkpoint.discriminator, averaged: false };
  const classifier = Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), averaged.tensors, 'classifier');
  const confusion = Array.from({ length: spec.numClasses }, () => new Array<number>(spec.numClasses).fill(0));
  let correct = 0;
  try {
    // every test image exactly once, in file order
    const batches = new BatchIterator(test, { batchSize: opts.batchSize, seed: 0, shuffle: false });
    for (let b = 0; b < batches.batchesPerEpoch; b++) {
      const batch = batches.next();
      const predicted = tf.tidy(() => {
        const images = tf.tensor4d(toFloatBatch(batch.images, spec.pixelRange), [batch.count, height, width, channels]);
        return classify(classifier, images, spec).labels;
      });
      const labels = await predicted.data();
      predicted.dispose();
      for (let i = 0; i < batch.count; i++) {
        const truth = batch.labels[i]!;
        const guess = labels[i]!;
        confusion[truth]![guess]! += 1;
        if (truth === guess) correct += 1;
      }
      opts.onImages?.(batch.count);
    }
  } finally {
    classifier.dispose();
  }
  const accuracy = correct / test.count;
  return {
    checkpoint: opts.checkpoint, dataset: test.name, split: 'test', count: test.count, accuracy, error: 1 - accuracy,
    classNames: spec.classNames.length === spec.numClasses ? spec.classNames : confusion.map((_, i) => String(i)),
    confusion, backend: opts.backend, weights: averaged.averaged ? 'average' : 'trained',
  };
}

/** The test set of the dataset a checkpoint was trained on, when it is one eval can name. */
function trainedDataset(checkpoint: Checkpoint, path: string): string {
  const named = checkpointDataset(checkpoint);
  if (named !== undefined && isNamedDataset(named)) return named;
  throw new RunError('bad-data', `${path} does not say which test set it belongs to: give --dataset (${NAMED_DATASETS.join(', ')} or a test IDX images file)`, { where: path });
}

export function formatEvalReport(r: EvalReport): string {
  const width = Math.max(5, ...r.confusion.flat().map((n) => String(n).length + 1));
  const lines = [
    `${r.checkpoint} on ${r.dataset} test (${r.count} images, backend ${r.backend}, ${r.weights === 'average' ? "moving average of D's weights" : "D's trained weights"})`,
    `accuracy ${(100 * r.accuracy).toFixed(2)}%   error ${(100 * r.error).toFixed(2)}%`,
    'confusion matrix (rows: true class, columns: predicted):',
    `${''.padStart(8)}${r.classNames.map((n) => n.slice(0, width - 1).padStart(width)).join('')}`,
    ...r.confusion.map((row, i) => `${r.classNames[i]!.slice(0, 7).padStart(7)} ${row.map((n) => String(n).padStart(width)).join('')}`),
  ];
  return `${lines.join('\n')}\n`;
}
