import * as tf from '@tensorflow/tfjs-core';
import { fusedMomentumUpdateName, type FusedMomentumAttrs } from './FusedMomentumUpdate.js';
import { hasFusedKernels } from './has-fused-kernels.js';
import { RateScheduledOptimizer } from './rate-scheduled-optimizer.js';
import { gradientList, type NamedTensor, type SlotVariable, zeroSlot } from './slot-variables.js';

/**
 * SGD with momentum (Nesterov optional) with one kernel per variable per step instead of tfjs-core's six:
 * the arithmetic of `tf.train.momentum(lr, μ, useNesterov)` and its state layout ([iter, <var>/momentum…]),
 * so checkpoints written with either resume with the other. keras-dcgan's optimizer for both networks.
 */
export class FusedMomentumOptimizer extends RateScheduledOptimizer {
  static get className(): string {
    return 'Momentum';
  }

  private accumulations: SlotVariable[] = [];

  constructor(
    learningRate: number,
    readonly momentum: number,
    readonly useNesterov = false,
  ) {
    super(learningRate);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const fused = hasFusedKernels(tf.getBackend());
    const attrs: FusedMomentumAttrs = { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.useNesterov };
    gradientList(variableGradients).forEach(({ name, variable, gradient }, i) => {
      this.accumulations[i] ??= zeroSlot(variable, `${name}/momentum`);
      if (gradient === undefined) return;
      const accumulation = this.accumulations[i]!.variable;
      tf.tidy(() => {
        if (fused) {
          const [w1, a1] = tf.engine().runKernel(fusedMomentumUpdateName, { variable, gradient, accumulation }, { ...attrs }) as tf.Tensor[];
          accumulation.assign(a1!);
          variable.assign(w1!);
        } else {
          // tfjs-core's MomentumOptimizer, op for op.
          const a1 = tf.add(tf.mul(this.momentum, accumulation), gradient);
          const step = this.useNesterov ? tf.add(gradient, tf.mul(a1, this.momentum)) : a1;
          accumulation.assign(a1);
          variable.assign(tf.add(tf.mul(-this.learningRate, step), variable));
        }
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...this.accumulations.map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const slots = await this.extractIterations(weightValues);
    tf.dispose(this.accumulations.map((s) => s.variable));
    this.accumulations = slots.map((s) => ({ originalName: s.name, variable: s.tensor.variable(false) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.useNesterov };
  }

  override dispose(): void {
    tf.dispose(this.accumulations.map((s) => s.variable));
  }
}
