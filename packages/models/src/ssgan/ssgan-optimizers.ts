import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { ModelError } from '../errors.js';
import { nesterovSgd } from '../training/optimizer-pair.js';

/**
 * ssgan (SSGAN-Tensorflow trainer.py): both players on Adam with β1 0.5, the
 * discriminator at half the generator's learning rate; 2e-4 for G is DCGAN's
 * rate (Radford et al. 2015). improved (openai/improved-gan MNIST): Adam,
 * learning rate 0.003, β1 0.5, for both.
 * One network may run on SGD (Nesterov momentum 0.9) by generatorOptimizerKind/discriminatorOptimizerKind
 * (the chapter's Adam for G, SGD for D), at the same rates unless generatorLearningRate/discriminatorLearningRate
 * say otherwise; D's default stays half of `learningRate` (not of G's own rate) for 'ssgan'.
 */
export function semiSupervisedOptimizers(sslLoss: 'ssgan' | 'improved', o: TrainOptions): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  if (o.optimizer !== undefined && o.optimizer !== 'adam') {
    throw new ModelError('bad-options', `the semi-supervised family trains with Adam; optimizer "${o.optimizer}" is not offered (set generatorOptimizerKind/discriminatorOptimizerKind to put one network on SGD)`);
  }
  const beta1 = o.beta1 ?? 0.5;
  const base = o.learningRate ?? (sslLoss === 'ssgan' ? 2e-4 : 3e-3);
  const g = o.generatorLearningRate ?? base;
  const d = o.discriminatorLearningRate ?? (sslLoss === 'ssgan' ? 0.5 * base : base);
  const configOf = (kind: 'adam' | 'sgd' | undefined, rate: number, name: string): OptimizerConfig => {
    if (kind === undefined || kind === 'adam') return { kind: 'adam', learningRate: rate, beta1, beta2: 0.999 };
    if (kind === 'sgd') return nesterovSgd(rate);
    throw new ModelError('bad-options', `${name} must be "adam" or "sgd", got "${String(kind)}"`);
  };
  return {
    generator: o.generatorOptimizer ?? configOf(o.generatorOptimizerKind, g, 'generatorOptimizerKind'),
    discriminator: o.discriminatorOptimizer ?? configOf(o.discriminatorOptimizerKind, d, 'discriminatorOptimizerKind'),
  };
}
