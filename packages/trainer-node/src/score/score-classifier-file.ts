import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeCheckpoint, type Checkpoint } from '@forger/core';
import { SCORE_CLASSIFIER_VARIANT } from './score-classifier-spec.js';
import { ScoreError } from './score-error.js';

/**
 * The MNIST reference classifier that ships with the package (`assets/`, made by `scripts/make-score-classifier.ts`).
 * Resolved from this module, so it is found from `src/` (tests) and from `dist/` (the CLI) alike.
 */
export const DEFAULT_SCORE_CLASSIFIER = fileURLToPath(new URL('../../assets/mnist-score-classifier.forger', import.meta.url));

export const MAKE_SCORE_CLASSIFIER_COMMAND = 'pnpm --filter @forger/trainer-node make:score-classifier';

/** A reference classifier checkpoint, checked to be one `forger score` can read. */
export interface ScoreClassifier {
  path: string;
  checkpoint: Checkpoint;
  /** the --dataset it was trained on ('mnist', 'cifar10' or an IDX images path): its test split is the reference */
  dataset: string;
  /** its test-set accuracy, as recorded when it was made */
  testAccuracy?: number;
}

export async function loadScoreClassifier(path: string): Promise<ScoreClassifier> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ScoreError('no-reference', `the reference classifier is missing; make one with ${MAKE_SCORE_CLASSIFIER_COMMAND}`, { where: path });
  }
  const checkpoint = decodeCheckpoint(bytes); // a CheckpointError names what is damaged
  const { spec } = checkpoint;
  if (spec.family !== 'classifier' || spec.variant !== SCORE_CLASSIFIER_VARIANT || checkpoint.discriminator.length === 0) {
    throw new ScoreError('no-reference', `a ${spec.family} checkpoint (variant "${spec.variant}") is not a reference classifier: give one made by ${MAKE_SCORE_CLASSIFIER_COMMAND}`, { where: path }
    );
  }
  const dataset = checkpoint.provenance.dataset;
  if (!dataset) throw new ScoreError('no-reference', 'the reference classifier does not say which dataset it was trained on', { where: path });
  const accuracy = checkpoint.provenance.metrics.test_accuracy;
  return { path, checkpoint, dataset, ...(accuracy !== undefined ? { testAccuracy: accuracy } : {}) };
}
