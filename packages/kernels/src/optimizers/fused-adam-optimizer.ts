import * as tf from '@tensorflow/tfjs-core';
import { fusedAdamBetaPowersName } from './FusedAdamBetaPowers.js';
import { fusedAdamUpdateName, type FusedAdamAttrs } from './FusedAdamUpdate.js';
import { hasFusedKernels } from './has-fused-kernels.js';
import { RateScheduledOptimizer } from './rate-scheduled-optimizer.js';
import { gradientList, type NamedTensor, type SlotVariable, zeroSlot } from './slot-variables.js';

/**
 * Adam with one kernel per variable per step (plus one for the step's β powers) instead of tfjs-core's
 * fourteen: the same arithmetic as `tf.train.adam`, the same state, so the two are interchangeable:
 * - `getWeights()`/`setWeights()` use tfjs-core's layout: [iter, <var>/m…, <var>/v…];
 * - `accBeta1`/`accBeta2` are float32 scalar variables under tfjs-core's names, which @forger/models'
 *   NetworkOptimizer saves and restores for a bit-identical resume.
 * On a backend without the fused kernels (tfjs-node) it composes tf ops exactly as tfjs-core does.
 */
export class FusedAdamOptimizer extends RateScheduledOptimizer {
  static get className(): string {
    return 'Adam';
  }

  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  private firstMoments: SlotVariable[] = [];
  private secondMoments: SlotVariable[] = [];
  readonly epsilon: number;

  constructor(
    learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    super(learningRate);
    this.epsilon = epsilon ?? tf.backend().epsilon();
    this.accBeta1 = tf.tidy(() => tf.scalar(beta1).variable(false));
    this.accBeta2 = tf.tidy(() => tf.scalar(beta2).variable(false));
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const fused = hasFusedKernels(tf.getBackend());
    const attrs: FusedAdamAttrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    tf.tidy(() => {
      let biasCorrection: tf.Tensor;
      let nextPowers: [tf.Tensor, tf.Tensor];
      if (fused) {
        const [p1, p2, correction] = tf.engine().runKernel(fusedAdamBetaPowersName, { accBeta1: this.accBeta1, accBeta2: this.accBeta2 }, { beta1: this.beta1, beta2: this.beta2 }) as tf.Tensor[];
        biasCorrection = correction!;
        nextPowers = [p1!, p2!];
      } else {
        biasCorrection = tf.stack([tf.sub(1, this.accBeta1), tf.sub(1, this.accBeta2)]);
        nextPowers = [tf.mul(this.accBeta1, this.beta1), tf.mul(this.accBeta2, this.beta2)];
      }
      gradientList(variableGradients).forEach(({ name, variable, gradient }, i) => {
        this.firstMoments[i] ??= zeroSlot(variable, `${name}/m`);
        this.secondMoments[i] ??= zeroSlot(variable, `${name}/v`);
        if (gradient === undefined) return;
        const m = this.firstMoments[i]!.variable;
        const v = this.secondMoments[i]!.variable;
        if (fused) {
          const [w1, m1, v1] = tf.engine().runKernel(fusedAdamUpdateName, { variable, gradient, firstMoment: m, secondMoment: v, biasCorrection }, { ...attrs }) as tf.Tensor[];
          m.assign(m1!);
          v.assign(v1!);
          variable.assign(w1!);
        } else {
          composedAdamUpdate(attrs, variable, gradient, m, v, biasCorrection);
        }
      });
      this.accBeta1.assign(nextPowers[0]);
      this.accBeta2.assign(nextPowers[1]);
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    // tfjs-core's order (Python compatible): all first moments, then all second moments.
    return [await this.saveIterations(), ...[...this.firstMoments, ...this.secondMoments].map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const slots = await this.extractIterations(weightValues);
    // As tfjs-core: β^(t+1) recomputed with pow (NetworkOptimizer then restores the saved exact powers).
    tf.tidy(() => {
      this.accBeta1.assign(tf.pow(this.beta1, this.iterations_ + 1));
      this.accBeta2.assign(tf.pow(this.beta2, this.iterations_ + 1));
    });
    const count = slots.length / 2;
    this.disposeSlots();
    this.firstMoments = slots.slice(0, count).map((s) => ({ originalName: s.name, variable: s.tensor.variable(false) }));
    this.secondMoments = slots.slice(count, 2 * count).map((s) => ({ originalName: s.name, variable: s.tensor.variable(false) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    this.accBeta1.dispose();
    this.accBeta2.dispose();
    this.disposeSlots();
  }

  private disposeSlots(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((s) => s.variable));
  }
}

/** tfjs-core's AdamOptimizer update, op for op: the fallback where the fused kernels are not registered. */
function composedAdamUpdate(a: FusedAdamAttrs, w: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, biasCorrection: tf.Tensor): void {
  const [correction1, correction2] = tf.unstack(biasCorrection);
  const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
  const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
  const mHat = tf.div(m1, correction1!);
  const vHat = tf.div(v1, correction2!);
  m.assign(m1);
  v.assign(v1);
  w.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), a.epsilon)), -a.learningRate), w));
}
