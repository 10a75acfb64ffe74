import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { nesterovSgd, optimizerPair } from '../training/optimizer-pair.js';

/**
 * The classic TensorFlow example trains both players with
 * `tf.train.AdamOptimizer()`: learning rate 0.001, β1 0.9, β2 0.999.
 * `optimizer: 'sgd'` gives SGD with Nesterov momentum 0.9 at the same rate.
 */
export function vanillaOptimizers(o: TrainOptions): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  return optimizerPair(o, 'adam', (kind, rate) =>
    kind === 'adam' ? { kind: 'adam', learningRate: rate ?? 1e-3, beta1: o.beta1 ?? 0.9, beta2: 0.999 } : nesterovSgd(rate ?? 1e-3),
  );
}
