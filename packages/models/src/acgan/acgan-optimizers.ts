import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { ModelError } from '../errors.js';

/**
 * Adam with learning rate 2e-4 and β1 0.5 for both networks: the DCGAN paper's setting (Radford et al. 2015 §4,
 * β1 0.9 "resulted in training oscillation and instability"), which Odena et al. 2017 and tfjs-examples' mnist-acgan
 * (--learningRate 0.0002, --adamBeta1 0.5) keep. `optimizer: 'sgd'` gives SGD with Nesterov momentum 0.9.
 */
export function acganOptimizers(o: TrainOptions): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  const kind = o.optimizer ?? 'adam';
  if (kind !== 'adam' && kind !== 'sgd') throw new ModelError('bad-options', `optimizer must be "adam" or "sgd", got "${String(kind)}"`);
  const base: OptimizerConfig =
    kind === 'adam'
      ? { kind: 'adam', learningRate: o.learningRate ?? 2e-4, beta1: o.beta1 ?? 0.5, beta2: 0.999 }
      : { kind: 'momentum', learningRate: o.learningRate ?? 2e-4, momentum: 0.9, nesterov: true };
  return { generator: o.generatorOptimizer ?? base, discriminator: o.discriminatorOptimizer ?? base };
}
