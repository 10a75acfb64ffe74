import * as tf from '@tensorflow/tfjs-core';

/**
 * A tfjs optimizer whose learning rate can change between updates: the base of the fused optimizers, which read
 * `learningRate` when each update runs.
 */
export abstract class RateScheduledOptimizer extends tf.Optimizer {
  private rate: number;

  protected constructor(learningRate: number) {
    super();
    this.rate = learningRate;
  }

  /** The rate of the next update. */
  get learningRate(): number {
    return this.rate;
  }

  /**
   * Changes the rate from the next update on (a learning-rate schedule, @forger/models' NetworkOptimizer), as
   * tfjs-core's SGD and momentum optimizers' setLearningRate does: the rate is an attribute of each update's
   * kernel (a uniform on WebGPU), so a new one compiles nothing.
   */
  setLearningRate(learningRate: number): void {
    this.rate = learningRate;
  }
}
