import { Command } from 'commander';
import type { Checkpoint } from '@forger/core';
import { firstExamples, parseIdxImages } from '@forger/data';
import { loadDataset, readDataFile } from '@forger/data/node';
import { ganFromCheckpoint, isConditional } from '@forger/models';
import type { BackendChoice } from '../backends/index.js';
import { checkpointDataset } from '../run/checkpoint-dataset.js';
import { datasetSource } from '../run/dataset-source.js';
import { startBackend } from '../run/start-backend.js';
import { createTaskProgress } from '../run/task-progress.js';
import { generatedImages, imageBatches } from '../score/generated-images.js';
import { formatScoreReport, scoreSamples, type SampleSource } from '../score/sample-quality.js';
import { DEFAULT_SCORE_CLASSIFIER, loadScoreClassifier, type ScoreClassifier } from '../score/score-classifier-file.js';
import { ScoreError } from '../score/score-error.js';
import { writeScoreFile } from '../score/score-file.js';
import { backendOption, wasmThreadsOption } from './backend-option.js';
import { CHECKPOINT_INPUT, addCheckpointInput, checkpointPathOf } from './checkpoint-input.js';
import type { CliIo } from '../io/cli-io.js';
import { ExitCode } from './exit-codes.js';
import { readCheckpointFile } from '../run/read-checkpoint-file.js';
import { UsageError } from '../run/usage-error.js';
import { positiveInteger, seed } from './value-parsers.js';

interface ScoreFlags {
  checkpoint?: string;
  images?: string;
  count: number;
  seed: number;
  classifier: string;
  dataDir?: string;
  limit?: number;
  batchSize: number;
  backend: BackendChoice;
  wasmThreads?: number;
  json?: boolean;
}

/**
 * `forger score`: how good a generator's samples are, by the measures GAN papers report for MNIST: the Fréchet
 * distance in a reference classifier's feature space (FID with a LeNet), that classifier's Inception score, and how
 * the samples spread over the classes (mode collapse shows there first).
 */
export function scoreCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('score').description('sample quality of a generator: Fréchet distance and Inception score with a reference classifier, class balance');
  return addCheckpointInput(command, 'a .forger file with a generator (a web export will do)')
    .option('--images <idx>', 'score the images of an IDX file instead (e.g. `forger generate --idx`, or real images for a floor)')
    .option('--count <n>', 'samples to draw from the generator (scores compare only at equal counts)', positiveInteger, 10000)
    .option('--seed <n>', 'seed of the latent noise', seed, 0)
    .option('--classifier <file>', 'the reference classifier (a checkpoint made by scripts/make-score-classifier.ts)', DEFAULT_SCORE_CLASSIFIER)
    .option('--data-dir <dir>', "folder of the CIFAR-10 or SVHN files, when the classifier's dataset is cifar10 or svhn")
    .option('--limit <n>', 'only the first n reference test images (a quick look: figures then compare only with the same limit)', positiveInteger)
    .option('--batch-size <n>', 'images per forward pass', positiveInteger, 500)
    .addOption(backendOption('auto'))
    .addOption(wasmThreadsOption())
    .option('--json', 'print the report as JSON')
    .action(async (positional: string | undefined, flags: ScoreFlags) => {
      const checkpointPath = checkpointPathOf(positional, flags.checkpoint);
      if ((checkpointPath === undefined) === (flags.images === undefined)) throw new UsageError('usage', `give either ${CHECKPOINT_INPUT} or --images <idx>, not both`);
      // the Fréchet distance needs a covariance of the samples' features
      if (flags.count < 2) throw new UsageError('usage', `--count must be at least 2, got ${flags.count}`);
      if (flags.limit !== undefined && flags.limit < 2) throw new UsageError('usage', `--limit must be at least 2, got ${flags.limit}`);
      const classifier = await loadScoreClassifier(flags.classifier);
      const checkpoint = checkpointPath !== undefined ? (await readCheckpointFile(checkpointPath)).checkpoint : undefined;
      if (checkpoint) checkSameDataset(checkpoint, checkpointPath!, classifier);
      if (checkpoint) checkSameClasses(checkpoint, checkpointPath!, classifier);
      const testSplit = await loadDataset(datasetSource(classifier.dataset), { split: 'test', ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
      const reference = flags.limit !== undefined ? firstExamples(testSplit, flags.limit) : testSplit;
      const backend = await startBackend(flags.backend, io, (line) => io.stderr.write(`${line}\n`), flags.wasmThreads);
      const generator = checkpoint ? generatorOf(checkpoint, checkpointPath!) : undefined;
      try {
        let samples: SampleSource;
        let sampleCount: number;
        if (checkpoint && generator) {
          sampleCount = flags.count;
          samples = {
            name: checkpointPath!, image: checkpoint.spec.image, seed: flags.seed,
            batches: generatedImages(generator, checkpoint.spec, { count: flags.count, seed: flags.seed, batchSize: flags.batchSize }),
          };
        } else {
          const idx = parseIdxImages(await readDataFile(flags.images!), flags.images!);
          sampleCount = idx.count;
          const imageSize = idx.image.height * idx.image.width * idx.image.channels;
          samples = { name: flags.images!, image: idx.image, batches: imageBatches(idx.pixels, idx.count, imageSize, flags.batchSize) };
        }
        io.stderr.write(`scoring ${checkpoint ? `${flags.count} samples of ${checkpointPath}` : flags.images} against ${reference.count} ${reference.name} test images …\n`);
        // the reference's images, then the samples: both go through the classifier (a minute or two for 10,000 each)
        const progress = createTaskProgress({ label: 'scoring', total: reference.count + sampleCount, unit: 'images', stream: io.stderr });
        let report;
        try {
          report = await scoreSamples(classifier, samples, reference, { batchSize: flags.batchSize, backend: backend.name, onImages: (n) => progress.advance(n) });
        } finally {
          progress.stop();
        }
        io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatScoreReport(report));
        // beside the checkpoint (runs/x/final.score.json), where `forger report` shows it; a read-only folder only costs the file
        if (checkpoint) {
          await writeScoreFile(checkpointPath!, report).then(
            (path) => io.stderr.write(`wrote ${path}\n`),
            (error: Error) => io.stderr.write(`warning: the score was not saved beside the checkpoint: ${error.message}\n`),
          );
        }
      } finally {
        generator?.dispose();
      }
      setExitCode(ExitCode.ok);
    });
}

function generatorOf(checkpoint: Checkpoint, path: string) {
  if (checkpoint.generator.length === 0) {
    throw new ScoreError('bad-input', `a ${checkpoint.spec.family} checkpoint has no generator to score`, { where: path });
  }
  return ganFromCheckpoint(checkpoint).generator;
}

/** A digit classifier says nothing about, say, Fashion-MNIST samples of the same size: refuse the mix. */
function checkSameDataset(checkpoint: Checkpoint, path: string, classifier: ScoreClassifier): void {
  const trainedOn = checkpointDataset(checkpoint);
  if (trainedOn !== undefined && trainedOn !== classifier.dataset) {
    throw new ScoreError('wrong-reference', `the generator was trained on ${trainedOn} and the reference classifier ${classifier.path} on ${classifier.dataset}: ` +
        `give --classifier one made on ${trainedOn} (scripts/make-score-classifier.ts --dataset ${trainedOn})`, { where: path }
    );
  }
}

/** A conditional generator's requested classes are scored by the reference classifier's: both must be the same K. */
function checkSameClasses(checkpoint: Checkpoint, path: string, classifier: ScoreClassifier): void {
  if (!isConditional(checkpoint.spec)) return;
  const k = classifier.checkpoint.spec.numClasses;
  if (checkpoint.spec.numClasses !== k) {
    throw new ScoreError('wrong-reference', `the conditional generator draws ${checkpoint.spec.numClasses} classes and the reference classifier ${classifier.path} knows ${k}: its class accuracy would mean nothing`, { where: path });
  }
}
