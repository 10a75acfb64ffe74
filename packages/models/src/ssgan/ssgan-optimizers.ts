import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { ModelError } from '../errors.js';

/**
 * ssgan (SSGAN-Tensorflow trainer.py): both players on Adam with β1 0.5, the
 * discriminator at half the generator's learning rate; 2e-4 for G is DCGAN's
 * rate (Radford et al. 2015). improved (openai/improved-gan MNIST): Adam,
 * learning rate 0.003, β1 0.5, for both.
 */
export function semiSupervisedOptimizers(sslLoss: 'ssgan' | 'improved', o: TrainOptions): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  if (o.optimizer !== undefined && o.optimizer !== 'adam') {
    throw new ModelError('bad-options', `the semi-supervised family trains with Adam; optimizer "${o.optimizer}" is not offered (set generatorOptimizer/discriminatorOptimizer for full control)`);
  }
  const beta1 = o.beta1 ?? 0.5;
  const g = o.learningRate ?? (sslLoss === 'ssgan' ? 2e-4 : 3e-3);
  const d = sslLoss === 'ssgan' ? 0.5 * g : g;
  return {
    generator: o.generatorOptimizer ?? { kind: 'adam', learningRate: g, beta1, beta2: 0.999 },
    discriminator: o.discriminatorOptimizer ?? { kind: 'adam', learningRate: d, beta1, beta2: 0.999 },
  };
}
