import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { decodeCheckpoint, type Checkpoint } from '@forger/core';
import { firstExamples, parseIdxImages } from '@forger/data';
import { loadDataset, readDataFile } from '@forger/data/node';
import { ganFromCheckpoint } from '@forger/models';
import { prepareBackend } from '../backends/index.js';
import { checkpointDataset } from '../run/checkpoint-dataset.js';
import { datasetSource } from '../run/dataset-source.js';
import type { BackendChoice } from '../run/train-config.js';
import { generatedImages, imageBatches } from '../score/generated-images.js';
import { formatScoreReport, scoreSamples, type SampleSource } from '../score/sample-quality.js';
import { DEFAULT_SCORE_CLASSIFIER, loadScoreClassifier, type ScoreClassifier } from '../score/score-classifier-file.js';
import { ScoreError } from '../score/score-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { BACKENDS } from './train-flags.js';
import { UsageError } from './usage-error.js';
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
  json?: boolean;
}

/**
 * `forger score`: how good a generator's samples are, by the measures GAN papers report for MNIST: the Fréchet
 * distance in a reference classifier's feature space (FID with a LeNet), that classifier's Inception score, and how
 * the samples spread over the classes (mode collapse shows there first).
 */
export function scoreCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('score')
    .description("sample quality of a generator: Fréchet distance and Inception score with a reference classifier, class balance")
    .option('--checkpoint <file>', 'a .forger file with a generator (a web export will do)')
    .option('--images <idx>', 'score the images of an IDX file instead (e.g. `forger generate --idx`, or real images for a floor)')
    .option('--count <n>', 'samples to draw from the generator (scores compare only at equal counts)', positiveInteger, 10000)
    .option('--seed <n>', 'seed of the latent noise', seed, 0)
    .option('--classifier <file>', 'the reference classifier (a checkpoint made by scripts/make-score-classifier.ts)', DEFAULT_SCORE_CLASSIFIER)
    .option('--data-dir <dir>', "folder of the CIFAR-10 or SVHN files, when the classifier's dataset is cifar10 or svhn")
    .option('--limit <n>', 'only the first n reference test images (a quick look: figures then compare only with the same limit)', positiveInteger)
    .option('--batch-size <n>', 'images per forward pass', positiveInteger, 500)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKENDS).default('auto'))
    .option('--json', 'print the report as JSON')
    .action(async (flags: ScoreFlags) => {
      if ((flags.checkpoint === undefined) === (flags.images === undefined)) throw new UsageError('give either --checkpoint or --images');
      // the Fréchet distance needs a covariance of the samples' features
      if (flags.count < 2) throw new UsageError(`--count must be at least 2, got ${flags.count}`);
      if (flags.limit !== undefined && flags.limit < 2) throw new UsageError(`--limit must be at least 2, got ${flags.limit}`);
      const classifier = await loadScoreClassifier(flags.classifier);
      const checkpoint = flags.checkpoint !== undefined ? decodeCheckpoint(await readFile(flags.checkpoint)) : undefined;
      if (checkpoint) checkSameDataset(checkpoint, flags.checkpoint!, classifier);
      const testSplit = await loadDataset(datasetSource(classifier.dataset), { split: 'test', ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
      const reference = flags.limit !== undefined ? firstExamples(testSplit, flags.limit) : testSplit;
      const backend = await prepareBackend(flags.backend, { log: (line) => io.stderr.write(`${line}\n`) });
      io.stderr.write(`${backend.description}\n`);
      const generator = checkpoint ? generatorOf(checkpoint, flags.checkpoint!) : undefined;
      try {
        let samples: SampleSource;
        if (checkpoint && generator) {
          samples = {
            name: flags.checkpoint!, image: checkpoint.spec.image, seed: flags.seed,
            batches: generatedImages(generator, checkpoint.spec, { count: flags.count, seed: flags.seed, batchSize: flags.batchSize }),
          };
        } else {
          const idx = parseIdxImages(await readDataFile(flags.images!), flags.images!);
          const imageSize = idx.image.height * idx.image.width * idx.image.channels;
          samples = { name: flags.images!, image: idx.image, batches: imageBatches(idx.pixels, idx.count, imageSize, flags.batchSize) };
        }
        io.stderr.write(`scoring ${checkpoint ? `${flags.count} samples of ${flags.checkpoint}` : flags.images} against ${reference.count} ${reference.name} test images …\n`);
        const report = await scoreSamples(classifier, samples, reference, { batchSize: flags.batchSize, backend: backend.name });
        io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatScoreReport(report));
      } finally {
        generator?.dispose();
      }
      setExitCode(ExitCode.ok);
    });
}

function generatorOf(checkpoint: Checkpoint, path: string) {
  if (checkpoint.generator.length === 0) {
    throw new ScoreError('bad-input', `a ${checkpoint.spec.family} checkpoint has no generator to score`, path);
  }
  return ganFromCheckpoint(checkpoint).generator;
}

/** A digit classifier says nothing about, say, Fashion-MNIST samples of the same size: refuse the mix. */
function checkSameDataset(checkpoint: Checkpoint, path: string, classifier: ScoreClassifier): void {
  const trainedOn = checkpointDataset(checkpoint);
  if (trainedOn !== undefined && trainedOn !== classifier.dataset) {
    throw new ScoreError(
      'wrong-reference',
      `the generator was trained on ${trainedOn} and the reference classifier ${classifier.path} on ${classifier.dataset}: ` +
        `give --classifier one made on ${trainedOn} (scripts/make-score-classifier.ts --dataset ${trainedOn})`,
      path,
    );
  }
}
