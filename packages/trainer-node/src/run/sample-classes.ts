import type { ModelSpec } from '@forger/core';
import { toUint8Images } from '@forger/data';
import { Network, discriminatorInputShape } from '@forger/models';
import { scoreImageSet } from '../score/image-set-score.js';
import { ScoreError } from '../score/score-error.js';
import { DEFAULT_SCORE_CLASSIFIER, loadScoreClassifier, type ScoreClassifier } from '../score/score-classifier-file.js';

/**
 * The second collapse statistic of the training-health monitor: how many classes the fixed-noise samples of a grid
 * really cover, by `forger score`'s reference classifier. The spread (sample-spread.ts) catches a generator that
 * falls back to one image; it misses the collapse users meet most, onto two or three classes (the chapter's
 * classic vanilla recipe ends drawing 7s and 9s with a spread near the real images'), which class shares see.
 *
 * The value is the effective number of classes, exp(H) of the classifier's class shares among the samples
 * (Hill's diversity of order 1): 10 for ten classes drawn equally often, 2 for two, and in between for uneven
 * shares (shares 0.5, 0.3, 0.2 give 2.8). On a 64-image grid even real digits do not reach 10 (see health-monitor.ts).
 */
export function effectiveClassCount(shares: readonly number[]): number {
  let entropy = 0;
  for (const share of shares) if (share > 0) entropy -= share * Math.log(share);
  return Math.exp(entropy);
}

/** The reference classifier, ready to count the classes of a run's sample grids. */
export class SampleClassCounter {
  private constructor(
    private readonly network: Network,
    private readonly classifierSpec: ModelSpec,
    private readonly pixelRange: ModelSpec['pixelRange'],
  ) {}

  /**
   * The counter for a run, when the reference classifier reads its images: trained on the run's dataset (by name),
   * at the generator's image shape. Otherwise undefined, and the run logs no class count (the spread still watches).
   */
  static async forRun(run: { dataset: string; spec: ModelSpec }, path: string = DEFAULT_SCORE_CLASSIFIER): Promise<SampleClassCounter | undefined> {
    let classifier: ScoreClassifier;
    try {
      classifier = await loadScoreClassifier(path);
    } catch (error) {
      // a package without its reference classifier trains as before (`forger score` says how to make one); a damaged
      // one is a broken install, and says so
      if (error instanceof ScoreError && error.code === 'no-reference') return undefined;
      throw error;
    }
    const reads = classifier.checkpoint.spec.image;
    const draws = run.spec.image;
    if (classifier.dataset !== run.dataset || reads.height !== draws.height || reads.width !== draws.width || reads.channels !== draws.channels) {
      return undefined;
    }
    const { spec } = classifier.checkpoint;
    const network = Network.fromCheckpoint(spec.discriminatorLayers, discriminatorInputShape(spec), classifier.checkpoint.discriminator, 'classifier');
    return new SampleClassCounter(network, spec, run.spec.pixelRange);
  }

  /**
   * The effective number of classes among `count` generated images (values in the generator's pixel range). They
   * are classified as the bytes a saved grid holds, as `forger score` classifies samples.
   */
  async effectiveClasses(images: Float32Array, count: number): Promise<number> {
    const bytes = toUint8Images(images, this.pixelRange);
    const { predictions } = await scoreImageSet(this.network, this.classifierSpec, [{ bytes, count }]);
    return effectiveClassCount(predictions.classShares);
  }

  dispose(): void {
    this.network.dispose();
  }
}
