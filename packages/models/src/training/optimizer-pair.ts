import { ModelError } from '../errors.js';
import type { OptimizerConfig, TrainOptions } from './types.js';

type Kind = 'adam' | 'sgd';

/**
 * Each network's optimizer from a family's recipe (`configOf`: the config of an optimizer kind at a rate, or at the
 * family's default rate for that kind when the rate is undefined) and the options: `optimizer`/`learningRate` for
 * both, `generatorOptimizerKind`/`discriminatorOptimizerKind` and `generatorLearningRate`/`discriminatorLearningRate`
 * for one (the chapter's "Adam for G, SGD for D"), `generatorOptimizer`/`discriminatorOptimizer` for full control.
 * `learningRate` belongs to the `optimizer` kind: a network on the other kind without a rate of its own takes the
 * family's rate for that kind (keras-dcgan's SGD 5e-4 is no rate for DCGAN's Adam).
 */
export function optimizerPair(o: TrainOptions, defaultKind: Kind, configOf: (kind: Kind, learningRate: number | undefined) => OptimizerConfig): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  const kind = checkedKind(o.optimizer ?? defaultKind, 'optimizer');
  const side = (own: Kind | undefined, rate: number | undefined, name: string): OptimizerConfig => {
    const k = checkedKind(own ?? kind, name);
    return configOf(k, rate ?? (k === kind ? o.learningRate : undefined));
  };
  return {
    generator: o.generatorOptimizer ?? side(o.generatorOptimizerKind, o.generatorLearningRate, 'generatorOptimizerKind'),
    discriminator: o.discriminatorOptimizer ?? side(o.discriminatorOptimizerKind, o.discriminatorLearningRate, 'discriminatorOptimizerKind'),
  };
}

function checkedKind(kind: string, name: string): Kind {
  if (kind !== 'adam' && kind !== 'sgd') throw new ModelError('bad-options', `${name} must be "adam" or "sgd", got "${kind}"`);
  return kind;
}

/** SGD with Nesterov momentum 0.9 (keras-dcgan's `SGD(momentum=0.9, nesterov=True)`), the 'sgd' of every family. */
export function nesterovSgd(learningRate: number): OptimizerConfig {
  return { kind: 'momentum', learningRate, momentum: 0.9, nesterov: true };
}
