import type { Rng } from '@forger/core';
import type { TrainOptions } from '@forger/models';
import { fusedOptimizerFactory } from '@forger/kernels';
import type { TrainConfig } from './train-config.js';

/** CLI config → the options of @forger/models' createTrainer. Only what the user set; the family keeps its defaults. */
export function trainOptionsFor(config: TrainConfig, rng: Rng, startStep: number, totalSteps: number): TrainOptions {
  const options: TrainOptions = {
    optimizer: config.optimizer,
    learningRate: config.lr,
    beta1: config.beta1,
    rng,
    startStep,
    // One kernel per variable per update instead of tfjs-core's 6–14: bit-identical to tfjs-core on cpu
    // and wasm (@forger/kernels' optimizer tests), and the dispatch count is what limits webgpu (issue 7).
    optimizerFactory: fusedOptimizerFactory,
  };
  // absent for acgan, whose trainer has neither (train-flag-table.ts `families`)
  if (config.featureMatching !== undefined) options.featureMatching = config.featureMatching;
  if (config.historicalAveraging !== undefined) options.historicalAveraging = config.historicalAveraging;
  // a target of 1 is no smoothing (--label-smoothing 1 turns a recipe's smoothing off)
  if (config.labelSmoothing > 0 && config.labelSmoothing < 1) options.realTarget = config.labelSmoothing;
  if (config.sslLoss !== undefined) options.sslLoss = config.sslLoss;
  if (config.updateRate !== undefined) options.updateRate = config.updateRate;
  if (config.evalAverage !== undefined) options.evaluationAverageRate = config.evalAverage;
  if (config.generatorAverage > 0) options.generatorAverageRate = config.generatorAverage;
  if (config.bnBatches !== undefined) options.batchNormBatches = config.bnBatches;
  // the training-loop tricks of issue 16
  if (config.fakeLabel !== undefined) options.fakeTarget = config.fakeLabel;
  if (config.historicalWindow !== undefined) options.historicalWindow = config.historicalWindow;
  if (config.gOptimizer !== undefined) options.generatorOptimizerKind = config.gOptimizer;
  if (config.dOptimizer !== undefined) options.discriminatorOptimizerKind = config.dOptimizer;
  if (config.gLr !== undefined) options.generatorLearningRate = config.gLr;
  if (config.dLr !== undefined) options.discriminatorLearningRate = config.dLr;
  if (config.dLossThreshold !== undefined) options.dLossThreshold = config.dLossThreshold;
  if (config.gLossThreshold !== undefined) options.gLossThreshold = config.gLossThreshold;
  if (config.maxUpdatesPerStep !== undefined) options.maxUpdatesPerStep = config.maxUpdatesPerStep;
  // the rates reach 0 at the run's end; resolveTrainConfig keeps a resumed run's length, so the line stays the same
  if (config.lrDecay === 'linear') options.learningRateDecaySteps = totalSteps;
  return options;
}
