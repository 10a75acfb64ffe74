import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { ModelError } from '../errors.js';

/**
 * The classic TensorFlow example trains both players with
 * `tf.train.AdamOptimizer()`: learning rate 0.001, β1 0.9, β2 0.999.
 * `optimizer: 'sgd'` gives SGD with Nesterov momentum 0.9 at the same rate.
 */
export function vanillaOptimizers(o: TrainOptions): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  const kind = o.optimizer ?? 'adam';
  if (kind !== 'adam' && kind !== 'sgd') throw new ModelError('bad-options', `optimizer must be "adam" or "sgd", got "${String(kind)}"`);
  const base: OptimizerConfig =
    kind === 'adam'
      ? { kind: 'adam', learningRate: o.learningRate ?? 1e-3, beta1: o.beta1 ?? 0.9, beta2: 0.999 }
      : { kind: 'momentum', learningRate: o.learningRate ?? 1e-3, momentum: 0.9, nesterov: true };
  return { generator: o.generatorOptimizer ?? base, discriminator: o.discriminatorOptimizer ?? base };
}
