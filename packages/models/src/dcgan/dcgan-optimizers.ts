import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { ModelError } from '../errors.js';

/**
 * keras-dcgan (jacobgil/keras-dcgan, dcgan.py `train`) trains D and the
 * stacked G with `SGD(lr=0.0005, momentum=0.9, nesterov=True)`: the default.
 * `optimizer: 'adam'` gives the DCGAN paper's Adam (Radford et al. 2015:
 * learning rate 0.0002, β1 0.5), which is the default of the paper's own
 * architecture (variant 'radford-dcgan', radfordDcganSpec).
 */
export function dcganOptimizers(o: TrainOptions, variant?: string): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  const kind = o.optimizer ?? (variant === 'radford-dcgan' ? 'adam' : 'sgd');
  if (kind !== 'adam' && kind !== 'sgd') throw new ModelError('bad-options', `optimizer must be "adam" or "sgd", got "${String(kind)}"`);
  const base: OptimizerConfig =
    kind === 'sgd'
      ? { kind: 'momentum', learningRate: o.learningRate ?? 0.0005, momentum: 0.9, nesterov: true }
      : { kind: 'adam', learningRate: o.learningRate ?? 2e-4, beta1: o.beta1 ?? 0.5, beta2: 0.999 };
  return { generator: o.generatorOptimizer ?? base, discriminator: o.discriminatorOptimizer ?? base };
}
