import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@forger/core';
import { toFloatBatch } from '@forger/data';
import type { Network } from '@forger/models';
import { ClassAccuracyAccumulator, type ClassAccuracy } from './class-accuracy.js';
import { ClassPredictionAccumulator, type ClassPredictionSummary } from './class-predictions.js';
import { FeatureStatisticsAccumulator, type FeatureStatistics } from './feature-statistics.js';
import { ScoreError } from './score-error.js';

/** A batch of images as bytes 0..255, `count × height × width × channels`: what a PNG or an IDX file holds. */
export interface ImageBytes {
  bytes: Uint8Array;
  count: number;
  /** the class each image was asked to be (a conditional generator's samples), one per image */
  labels?: Int32Array;
}

/** What the reference classifier sees in a set of images: its feature statistics and its class predictions. */
export interface ImageSetScore {
  features: FeatureStatistics;
  predictions: ClassPredictionSummary;
  /** when the images came with requested classes: how often the classifier agrees with them */
  classAccuracy?: ClassAccuracy;
}

/**
 * Runs every batch of a set of images through the reference classifier (inference mode) and keeps only running
 * statistics. Images enter as bytes, so generated samples are scored exactly as they would be saved and seen.
 */
export async function scoreImageSet(
  classifier: Network,
  spec: ModelSpec,
  batches: AsyncIterable<ImageBytes> | Iterable<ImageBytes>,
  /** called after each batch with its image count (progress) */
  onImages?: (count: number) => void,
): Promise<ImageSetScore> {
  const { height, width, channels } = spec.image;
  const imageSize = height * width * channels;
  const predictions = new ClassPredictionAccumulator(spec.numClasses);
  let features: FeatureStatisticsAccumulator | undefined;
  let accuracy: ClassAccuracyAccumulator | undefined;
  for await (const batch of batches) {
    if (batch.bytes.length !== batch.count * imageSize) {
      throw new ScoreError('bad-input', `${batch.count} images of ${height}×${width}×${channels} need ${batch.count * imageSize} bytes, got ${batch.bytes.length}`);
    }
    if (batch.count === 0) continue;
    const [featureValues, probabilities] = tf.tidy(() => {
      const images = tf.tensor4d(toFloatBatch(batch.bytes, spec.pixelRange), [batch.count, height, width, channels]);
      const out = classifier.applyWithFeatures(images, { training: false });
      const logits = tf.slice(out.output, [0, 0], [-1, spec.numClasses]);
      return [tf.reshape(out.features, [batch.count, -1]), tf.softmax(logits)];
    });
    try {
      const [f, p] = await Promise.all([featureValues.data(), probabilities.data()]);
      features ??= new FeatureStatisticsAccumulator(featureValues.shape[1]!);
      features.add(f, batch.count);
      predictions.add(p, batch.count);
      if (batch.labels) (accuracy ??= new ClassAccuracyAccumulator(spec.numClasses)).add(p, batch.labels, batch.count);
      onImages?.(batch.count);
    } finally {
      featureValues.dispose();
      probabilities.dispose();
    }
  }
  if (!features) throw new ScoreError('bad-input', 'there were no images to score');
  return { features: features.result(), predictions: predictions.result(), ...(accuracy ? { classAccuracy: accuracy.result() } : {}) };
}
