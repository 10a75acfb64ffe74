import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig, OptimizerFactory } from '@forger/models';
import { FusedAdamOptimizer } from './fused-adam-optimizer.js';
import { FusedMomentumOptimizer } from './fused-momentum-optimizer.js';

/**
 * @forger/models' OptimizerFactory with the fused optimizers: one kernel per variable per step instead of
 * tfjs-core's fourteen (Adam) or six (momentum). Same defaults and the same state layout as tfjs-core's
 * constructors, so a checkpoint resumes with either; plain SGD has nothing to fuse and stays tfjs-core's.
 */
export const fusedOptimizerFactory: OptimizerFactory = (c: OptimizerConfig): tf.Optimizer => {
  switch (c.kind) {
    case 'adam':
      return new FusedAdamOptimizer(c.learningRate, c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.epsilon ?? 1e-7);
    case 'momentum':
      return new FusedMomentumOptimizer(c.learningRate, c.momentum ?? 0.9, c.nesterov ?? true);
    case 'sgd':
      return tf.train.sgd(c.learningRate);
  }
};
