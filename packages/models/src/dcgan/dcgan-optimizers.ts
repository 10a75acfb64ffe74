import type { OptimizerConfig, TrainOptions } from '../training/types.js';
import { nesterovSgd, optimizerPair } from '../training/optimizer-pair.js';

/**
 * keras-dcgan (jacobgil/keras-dcgan, dcgan.py `train`) trains D and the
 * stacked G with `SGD(lr=0.0005, momentum=0.9, nesterov=True)`: the default.
 * `optimizer: 'adam'` gives the DCGAN paper's Adam (Radford et al. 2015:
 * learning rate 0.0002, β1 0.5), which is the default of the paper's own
 * architecture (variant 'radford-dcgan', radfordDcganSpec).
 */
export function dcganOptimizers(o: TrainOptions, variant?: string): { generator: OptimizerConfig; discriminator: OptimizerConfig } {
  // the radford networks train with Adam (Radford et al. 2015), keras-dcgan's with its SGD
  return optimizerPair(o, variant === 'radford-dcgan' ? 'adam' : 'sgd', (kind, rate) =>
    kind === 'sgd' ? nesterovSgd(rate ?? 0.0005) : { kind: 'adam', learningRate: rate ?? 2e-4, beta1: o.beta1 ?? 0.5, beta2: 0.999 },
  );
}
