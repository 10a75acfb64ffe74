import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '@forger/core';
import { firstExamples } from '@forger/data';
import { loadDataset } from '@forger/data/node';
import { prepareBackend } from '../backends/index.js';
import { loadScoreClassifier } from './score-classifier-file.js';
import { SCORE_CLASSIFIER_VARIANT } from './score-classifier-spec.js';
import { trainScoreClassifier } from './train-score-classifier.js';

describe('trainScoreClassifier', () => {
  beforeAll(async () => {
    await prepareBackend('wasm');
  });

  it('writes a reference classifier that forger score accepts: float16 kernels, float32 biases, its dataset named', async () => {
    const train = firstExamples(await loadDataset('mnist', { split: 'train' }), 256);
    const progress: number[] = [];
    const checkpoint = await trainScoreClassifier(train, {
      datasetName: 'mnist', epochs: 1, batchSize: 64, seed: 1, learningRate: 1e-3, backend: 'wasm', every: 2,
      progress: ({ step, loss }) => {
        expect(Number.isFinite(loss)).toBe(true);
        progress.push(step);
      },
    });
    expect(progress).toEqual([2, 4]);
    expect(checkpoint.spec).toMatchObject({ family: 'classifier', variant: SCORE_CLASSIFIER_VARIANT, numClasses: 10 });
    for (const t of checkpoint.discriminator) expect(t.dtype).toBe(t.shape.length > 1 ? 'float16' : 'float32');
    const path = join(await mkdtemp(join(tmpdir(), 'forger-score-classifier-')), 'c.forger');
    await writeFile(path, encodeCheckpoint(checkpoint));
    const loaded = await loadScoreClassifier(path);
    expect(loaded.dataset).toBe('mnist');
    expect(loaded.checkpoint.discriminator.map((t) => t.name)).toEqual(checkpoint.discriminator.map((t) => t.name));
  });
});
