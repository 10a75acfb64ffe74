/**
 * Makes the reference classifier of `forger score` (assets/mnist-score-classifier.forger, committed) or one for
 * another dataset of the same kind, and records its test accuracy in the file:
 *
 *   pnpm --filter @forger/trainer-node make:score-classifier                       # MNIST → assets/
 *   pnpm --filter @forger/trainer-node make:score-classifier --dataset /data/fashion/train-images-idx3-ubyte \
 *     --out /data/fashion/score-classifier.forger                                  # then forger score --classifier …
 *
 * Deterministic for a seed on one backend. Scores made with different classifier files do not compare.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeCheckpoint } from '@forger/core';
import { loadDataset } from '@forger/data/node';
import { prepareBackend, type BackendChoice } from '../src/backends/index.js';
import { evaluateClassifier } from '../src/cli/eval.js';
import { datasetSource } from '../src/run/dataset-source.js';
import { writeFileAtomic } from '../src/run/atomic-write.js';
import { DEFAULT_SCORE_CLASSIFIER } from '../src/score/score-classifier-file.js';
import { trainScoreClassifier } from '../src/score/train-score-classifier.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'mnist' },
    'data-dir': { type: 'string' },
    epochs: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: DEFAULT_SCORE_CLASSIFIER },
  },
});
const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return n;
};

const backend = await prepareBackend(values.backend as BackendChoice, { log: (line) => console.error(line) });
console.error(backend.description);
const source = datasetSource(values.dataset!);
const dataDir = values['data-dir'] ? { dataDir: values['data-dir'] } : {};
const train = await loadDataset(source, { split: 'train', ...dataDir });
const test = await loadDataset(source, { split: 'test', ...dataDir });
const started = performance.now();
const checkpoint = await trainScoreClassifier(train, {
  datasetName: values.dataset!,
  epochs: positive('epochs', values.epochs!),
  batchSize: positive('batch-size', values['batch-size']!),
  learningRate: positive('lr', values.lr!),
  seed: Number(values.seed),
  backend: backend.name,
  progress: ({ step, steps, loss, accuracy }) => console.error(`step ${step}/${steps} loss ${loss.toFixed(4)} accuracy ${accuracy.toFixed(3)}`),
});
const out = resolve(values.out!);
const report = await evaluateClassifier(checkpoint, test, { checkpoint: out, batchSize: 500, backend: backend.name, weights: 'trained' });
checkpoint.provenance.metrics = { test_accuracy: report.accuracy, train_seconds: (performance.now() - started) / 1000 };
await writeFileAtomic(out, encodeCheckpoint(checkpoint));
console.log(`wrote ${out}: test accuracy ${(100 * report.accuracy).toFixed(2)}% on ${report.count} ${test.name} test images`);
