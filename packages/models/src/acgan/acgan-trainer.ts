import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { realTargetOf } from '../tricks/label-smoothing.js';
import { checkBatchShapes } from '../training/batch-checks.js';
import { NetworkPairTrainer } from '../training/network-pair-trainer.js';
import type { GanNetworks, GanTrainer, StepMetrics, TrainBatch, TrainOptions } from '../training/types.js';
import { acganDiscriminatorLoss, acganGeneratorLoss, splitAcganLogits } from './acgan-losses.js';
import { acganOptimizers } from './acgan-optimizers.js';
import { generatorInput } from './conditioning.js';

/**
 * One step of an auxiliary-classifier GAN (Odena et al. 2017): a discriminator update on the labeled real batch
 * and a batch generated for the requested classes `batch.fakeLabels`, then a generator update through the frozen
 * discriminator, both networks also minimising the class cross-entropy (acgan-losses.ts).
 */
export class AcganTrainer extends NetworkPairTrainer implements GanTrainer {
  private readonly realTarget: number;

  constructor(
    spec: ModelSpec,
    nets: GanNetworks,
    options: TrainOptions = {},
  ) {
    if (spec.numClasses <= 0) throw new ModelError('bad-spec', `the acgan trainer needs numClasses ≥ 1, spec "${spec.variant}" has ${spec.numClasses}`);
    if (options.featureMatching || (options.historicalAveraging ?? 0) > 0) {
      throw new ModelError('bad-options', 'the acgan trainer has neither feature matching nor historical averaging');
    }
    // issue 16's loop tricks that change the source loss or the step's schedule are the binary families' (refused by
    // `forger train` too); a per-network optimizer and D's batch-norm batches apply here as everywhere
    if ((options.fakeTarget ?? 0) !== 0 || options.historicalWindow !== undefined || options.dLossThreshold !== undefined || options.gLossThreshold !== undefined || options.maxUpdatesPerStep !== undefined) {
      throw new ModelError('bad-options', 'the acgan trainer has no fake-label target, historical window or loss-threshold schedule');
    }
    const outputs = nets.discriminator.outputShape;
    if (outputs.length !== 1 || outputs[0] !== spec.numClasses + 1) {
      throw new ModelError('bad-spec', `an acgan discriminator outputs ${spec.numClasses} class logits and one real/fake logit (${spec.numClasses + 1}), this one [${outputs.join(', ')}]`);
    }
    super(spec, nets, options, acganOptimizers(options));
    this.realTarget = realTargetOf(options);
  }

  /** Never: the acgan trainer has no loss-threshold schedule (refused above), so every step is step(). */
  get readsLossesEachStep(): boolean {
    return false;
  }

  async stepAsync(batch: TrainBatch): Promise<StepMetrics> {
    return this.step(batch);
  }

  step(batch: TrainBatch): StepMetrics {
    checkBatchShapes(this.spec, batch);
    const { labels, fakeLabels } = this.checkLabels(batch);
    const metrics = tf.tidy(() => {
      const input = generatorInput(this.spec, batch.z, fakeLabels);
      return { ...this.discriminatorStep(batch.real, labels, input, fakeLabels), ...this.generatorStep(input, fakeLabels) } as StepMetrics;
    });
    this.countStep();
    return metrics;
  }

  private checkLabels(batch: TrainBatch): { labels: tf.Tensor; fakeLabels: tf.Tensor } {
    const n = batch.real.shape[0]!;
    const m = batch.z.shape[0]!;
    if (!batch.labels || batch.labels.rank !== 1 || batch.labels.shape[0] !== n || batch.labeledReal) {
      throw new ModelError('bad-input', `an acgan batch needs labels [${n}], the class of each real image (and no separate labeledReal)`, { where: 'batch.labels' });
    }
    if (!batch.fakeLabels || batch.fakeLabels.rank !== 1 || batch.fakeLabels.shape[0] !== m) {
      throw new ModelError('bad-input', `an acgan batch needs fakeLabels [${m}], the class asked of each latent vector`, { where: 'batch.fakeLabels' });
    }
    return { labels: batch.labels, fakeLabels: batch.fakeLabels };
  }

  private discriminatorStep(real: tf.Tensor, labels: tf.Tensor, input: tf.Tensor2D, fakeLabels: tf.Tensor): Record<string, tf.Scalar> {
    // Generated images are constants for D's update: no generator gradient.
    const fake = this.generator.apply(input, { training: true, rng: this.rng, updateStatistics: false });
    const kept: Record<string, tf.Scalar> = {};
    const keep = (name: string, x: tf.Tensor): void => {
      kept[name] = tf.keep(x) as tf.Scalar;
    };
    const { loss } = this.dOptimizer.minimize(() => {
      const d = (x: tf.Tensor): tf.Tensor2D => this.discriminator.apply(x, { training: true, rng: this.rng }) as tf.Tensor2D;
      let realLogits: tf.Tensor2D;
      let fakeLogits: tf.Tensor2D;
      if (this.oneForwardPass) {
        [realLogits, fakeLogits] = tf.split(d(tf.concat([real, fake], 0)), [real.shape[0]!, fake.shape[0]!], 0) as [tf.Tensor2D, tf.Tensor2D];
      } else {
        realLogits = d(real);
        fakeLogits = d(fake);
      }
      const terms = acganDiscriminatorLoss({ logits: realLogits, labels }, { logits: fakeLogits, labels: fakeLabels }, this.realTarget);
      const r = splitAcganLogits(realLogits);
      keep('dReal', tf.mean(tf.sigmoid(r.sourceLogits)));
      keep('dFake', tf.mean(tf.sigmoid(splitAcganLogits(fakeLogits).sourceLogits)));
      keep('dClassLoss', terms.classes);
      // how often D names the true class of a real image: whether the auxiliary classifier learns at all
      keep('accuracy', tf.mean(tf.cast(tf.equal(tf.argMax(r.classLogits, 1), tf.cast(labels, 'int32')), 'float32')));
      return terms.loss;
    });
    return { dLoss: loss, ...kept };
  }

  private generatorStep(input: tf.Tensor2D, fakeLabels: tf.Tensor): Record<string, tf.Scalar> {
    // D is frozen here: its moving statistics stay put and only G's variables are updated.
    const dOpts = { training: true, rng: this.rng, updateStatistics: false };
    let classes: tf.Scalar | undefined;
    const { loss } = this.gOptimizer.minimize(() => {
      const fake = this.generator.apply(input, { training: true, rng: this.rng });
      const terms = acganGeneratorLoss(this.discriminator.apply(fake, dOpts) as tf.Tensor2D, fakeLabels);
      classes = tf.keep(terms.classes);
      return terms.loss;
    });
    return { gLoss: loss, gClassLoss: classes! };
  }
}
