import type { ImageShape } from '@forger/core';
import type { Dataset } from '@forger/data';
import { Network, discriminatorInputShape } from '@forger/models';
import type { ClassAccuracy } from './class-accuracy.js';
import { totalVariation } from './class-predictions.js';
import { frechetDistance } from './frechet-distance.js';
import { imageBatches } from './generated-images.js';
import { scoreImageSet, type ImageBytes } from './image-set-score.js';
import type { ScoreClassifier } from './score-classifier-file.js';
import { ScoreError } from './score-error.js';

/** What `forger score` reports (and prints with --json). Figures are comparable only at equal sample counts. */
export interface SampleQualityReport {
  /** what was scored: a checkpoint or an IDX images file */
  samples: string;
  count: number;
  /** the latent seed, when the samples came from a generator */
  seed?: number;
  /** Fréchet distance between the classifier's features of the samples and of the reference images; lower is better, 0 for the same statistics */
  frechetDistance: number;
  /** the classifier's Inception score of the samples; at most the number of classes */
  inceptionScore: number;
  /** share of the samples the classifier puts in each class */
  classShares: number[];
  /** total variation between the samples' class shares and the reference images': 0 for the same balance; a collapsed generator is near 0.9 */
  classBalanceGap: number;
  /** mean highest class probability of the samples */
  meanConfidence: number;
  reference: {
    dataset: string;
    split: 'test';
    count: number;
    inceptionScore: number;
    meanConfidence: number;
    classShares: number[];
    classifier: string;
    classifierTestAccuracy?: number;
  };
  classNames: string[];
  backend: string;
  /** conditional generators: how often the reference classifier names the class each sample was asked to be */
  classAccuracy?: ClassAccuracy;
}

export interface SampleSource {
  name: string;
  image: ImageShape;
  batches: AsyncIterable<ImageBytes> | Iterable<ImageBytes>;
  seed?: number;
}

/**
 * Scores a set of samples against the test split of the reference classifier's dataset: FID-style Fréchet
 * distance in its feature space, its Inception score, and how the samples spread over its classes. The reference
 * images are scored in the same run, with the same classifier, on the same backend.
 */
export async function scoreSamples(
  classifier: ScoreClassifier,
  samples: SampleSource,
  reference: Dataset,
  opts: { batchSize: number; backend: string; onImages?: (count: number) => void },
): Promise<SampleQualityReport> {
  const { spec } = classifier.checkpoint;
  checkImageShape(samples.image, spec.image, samples.name, classifier.path);
  checkImageShape(reference.image, spec.image, `${reference.name} test images`, classifier.path);
  const network = Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), classifier.checkpoint.discriminator, 'classifier');
  try {
    const { height, width, channels } = spec.image;
    const real = await scoreImageSet(network, spec, imageBatches(reference.images, reference.count, height * width * channels, opts.batchSize), opts.onImages);
    const fake = await scoreImageSet(network, spec, samples.batches, opts.onImages);
    return {
      samples: samples.name,
      count: fake.predictions.count,
      ...(samples.seed !== undefined ? { seed: samples.seed } : {}),
      frechetDistance: frechetDistance(fake.features, real.features),
      inceptionScore: fake.predictions.inceptionScore,
      classShares: fake.predictions.classShares,
      classBalanceGap: totalVariation(fake.predictions.classShares, real.predictions.classShares),
      meanConfidence: fake.predictions.meanConfidence,
      reference: {
        dataset: reference.name,
        split: 'test',
        count: real.predictions.count,
        inceptionScore: real.predictions.inceptionScore,
        meanConfidence: real.predictions.meanConfidence,
        classShares: real.predictions.classShares,
        classifier: classifier.path,
        ...(classifier.testAccuracy !== undefined ? { classifierTestAccuracy: classifier.testAccuracy } : {}),
      },
      classNames: spec.classNames.length === spec.numClasses ? spec.classNames : Array.from({ length: spec.numClasses }, (_, i) => String(i)),
      backend: opts.backend,
      ...(fake.classAccuracy ? { classAccuracy: fake.classAccuracy } : {}),
    };
  } finally {
    network.dispose();
  }
}

function checkImageShape(found: ImageShape, expected: ImageShape, what: string, classifierPath: string): void {
  if (found.height !== expected.height || found.width !== expected.width || found.channels !== expected.channels) {
    throw new ScoreError(
      'wrong-reference',
      `${what} are ${found.height}×${found.width}×${found.channels}, the reference classifier ${classifierPath} reads ${expected.height}×${expected.width}×${expected.channels}`,
    );
  }
}

export function formatScoreReport(r: SampleQualityReport): string {
  const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const accuracy = r.reference.classifierTestAccuracy !== undefined ? `, test accuracy ${percent(r.reference.classifierTestAccuracy)}` : '';
  const lines = [
    `samples    ${r.samples}: ${r.count} images${r.seed !== undefined ? ` (seed ${r.seed})` : ''}, backend ${r.backend}`,
    `reference  ${r.reference.dataset} test, ${r.reference.count} images; classifier ${r.reference.classifier}${accuracy}`,
    `Fréchet distance   ${r.frechetDistance.toFixed(2).padStart(8)}   lower is better; comparable at equal sample counts only`,
    `Inception score    ${r.inceptionScore.toFixed(2).padStart(8)}   of at most ${r.classNames.length}; the reference images: ${r.reference.inceptionScore.toFixed(2)}`,
    `class balance gap  ${r.classBalanceGap.toFixed(3).padStart(8)}   0: the reference's class balance; a collapsed generator is near 0.9`,
    `mean confidence    ${r.meanConfidence.toFixed(3).padStart(8)}   the reference images: ${r.reference.meanConfidence.toFixed(3)}`,
    `class shares       ${r.classNames.map((name, i) => `${name} ${percent(r.classShares[i]!)}`).join('  ')}`,
  ];
  if (r.classAccuracy) {
    const a = r.classAccuracy;
    lines.push(`class accuracy     ${percent(a.overall).padStart(8)}   the classifier names the class each sample was asked to be`);
    lines.push(`  per class        ${r.classNames.map((name, i) => `${name} ${percent(a.perClass[i]!)}`).join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}
