import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkpointTensorToFloat32, float32ToCheckpointTensor, type Checkpoint } from '@forger/core';
import { BatchIterator, toFloatBatch, type Dataset } from '@forger/data';
import { ClassifierTrainer, buildClassifier } from '@forger/models';
import { FORGER_VERSION } from '../version.js';
import { scoreClassifierSpec } from './score-classifier-spec.js';

export interface ScoreClassifierTraining {
  /** the --dataset name the reference images come from ('mnist', 'cifar10' or an IDX images path) */
  datasetName: string;
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  backend: string;
  /** called after every `every` steps with the mean loss and accuracy of those steps */
  progress?: (report: { step: number; steps: number; loss: number; accuracy: number }) => void;
  every?: number;
}

/**
 * Trains the reference classifier of `forger score` (scoreClassifierSpec) on a dataset's training split with Adam
 * and returns it as a classifier checkpoint with float16 weights (the metric only reads features; half the bytes in
 * the repository). The caller measures its test accuracy and records it in `provenance.metrics.test_accuracy`.
 */
export async function trainScoreClassifier(train: Dataset, o: ScoreClassifierTraining): Promise<Checkpoint> {
  const spec = scoreClassifierSpec(train.image, train.classNames);
  const classifier = buildClassifier(spec, o.seed);
  const trainer = new ClassifierTrainer(spec, classifier, {
    optimizer: { kind: 'adam', learningRate: o.learningRate, beta1: 0.9, beta2: 0.999 },
    rng: Rng.fromSeed(o.seed).derive('training'),
  });
  try {
    const batches = new BatchIterator(train, { batchSize: o.batchSize, seed: o.seed, dropLast: true });
    const steps = o.epochs * batches.batchesPerEpoch;
    const every = o.every ?? 100;
    const { height, width, channels } = spec.image;
    let losses: tf.Scalar[] = [];
    let accuracies: tf.Scalar[] = [];
    for (let step = 1; step <= steps; step++) {
      const batch = batches.next();
      const result = tf.tidy(() =>
        trainer.step({
          labeledReal: tf.tensor4d(toFloatBatch(batch.images, spec.pixelRange), [batch.count, height, width, channels]),
          labels: tf.tensor1d(batch.labels, 'int32'),
        }),
      );
      losses.push(result.loss);
      accuracies.push(result.accuracy);
      if (step % every === 0 || step === steps) {
        // read back only here, so the device queue is not drained every step
        const [loss, accuracy] = await Promise.all([meanOf(losses), meanOf(accuracies)]);
        if (!Number.isFinite(loss)) throw new Error(`the reference classifier's loss is ${loss} at step ${step}`);
        o.progress?.({ step, steps, loss, accuracy });
        losses = [];
        accuracies = [];
      }
    }
    const weights = await classifier.readCheckpointTensors();
    return {
      spec,
      generator: [],
      // kernels in float16, biases (1-D) in float32, as `forger export` does
      discriminator: weights.map((t) => (t.shape.length > 1 ? float32ToCheckpointTensor(t.name, t.shape, checkpointTensorToFloat32(t), 'float16') : t)),
      provenance: {
        createdAt: new Date().toISOString(),
        forgerVersion: FORGER_VERSION,
        backend: o.backend,
        dataset: o.datasetName,
        metrics: {},
        note: `forger score reference classifier: ${o.epochs} epochs of ${o.batchSize}, Adam ${o.learningRate}, seed ${o.seed}`,
      },
    };
  } finally {
    trainer.dispose();
    classifier.dispose();
  }
}

async function meanOf(scalars: tf.Scalar[]): Promise<number> {
  const values = await Promise.all(scalars.map((s) => s.data()));
  scalars.forEach((s) => s.dispose());
  return values.reduce((sum, v) => sum + v[0]!, 0) / values.length;
}
