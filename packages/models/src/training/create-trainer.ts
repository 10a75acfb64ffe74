import type { ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { dcganOptimizers } from '../dcgan/dcgan-optimizers.js';
import { vanillaOptimizers } from '../vanilla/vanilla-optimizers.js';
import { AdversarialTrainer } from './adversarial-trainer.js';
import { AcganTrainer } from '../acgan/acgan-trainer.js';
import { SemiSupervisedTrainer } from '../ssgan/semi-supervised-trainer.js';
import type { GanNetworks, GanTrainer, TrainOptions } from './types.js';

/** The trainer of the spec's family; every family has the same GanTrainer interface. */
export function createTrainer(spec: ModelSpec, nets: GanNetworks, options: TrainOptions = {}): GanTrainer {
  switch (spec.family) {
    case 'vanilla':
      return new AdversarialTrainer(spec, nets, options, vanillaOptimizers(options));
    case 'dcgan':
      return new AdversarialTrainer(spec, nets, options, dcganOptimizers(options, spec.variant));
    case 'ssgan':
      return new SemiSupervisedTrainer(spec, nets, options);
    case 'acgan':
      return new AcganTrainer(spec, nets, options);
    case 'classifier':
      throw new ModelError('bad-spec', 'the classifier family has no generator: train it with ClassifierTrainer (buildClassifier, classifierFromCheckpoint)');
    default:
      throw new ModelError('bad-spec', `no trainer for family "${String(spec.family)}"`);
  }
}
