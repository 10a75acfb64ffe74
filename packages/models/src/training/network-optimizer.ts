import * as tf from '@tensorflow/tfjs-core';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from '@forger/core';
import type { OptimizerState } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';
import type { OptimizerConfig, OptimizerFactory } from './types.js';
import { sumOf } from './sum-of.js';
import { SUM_OF_SQUARES_KERNEL, SUM_OF_SQUARES_MOST_INPUTS, hasForgerKernel } from '../network/forger-kernels.js';

/** The slot suffix tfjs-core gives each optimizer's per-variable state. */
const SLOTS: Record<OptimizerConfig['kind'], string[]> = { adam: ['m', 'v'], momentum: ['momentum'], sgd: [] };

/** One variable's gradient, by the variable's engine name (tf.Optimizer.applyGradients' list form). */
export interface NamedGradient {
  name: string;
  tensor: tf.Tensor;
}

/** tfjs-core's Adam keeps β1^t and β2^t as private variables; see `restore`. */
interface AdamPowers {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** tfjs-core's own optimizers: the default OptimizerFactory. */
export function makeTfjsOptimizer(c: OptimizerConfig): tf.Optimizer {
  switch (c.kind) {
    case 'adam':
      return tf.train.adam(c.learningRate, c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.epsilon ?? 1e-7);
    case 'momentum':
      return tf.train.momentum(c.learningRate, c.momentum ?? 0.9, c.nesterov ?? true);
    case 'sgd':
      return tf.train.sgd(c.learningRate);
  }
}

function hyperOf(c: OptimizerConfig): Record<string, number> {
  switch (c.kind) {
    case 'adam':
      return { learning_rate: c.learningRate, beta1: c.beta1 ?? 0.9, beta2: c.beta2 ?? 0.999, epsilon: c.epsilon ?? 1e-7 };
    case 'momentum':
      return { learning_rate: c.learningRate, momentum: c.momentum ?? 0.9, nesterov: (c.nesterov ?? true) ? 1 : 0 };
    case 'sgd':
      return { learning_rate: c.learningRate };
  }
}

/**
 * Sets the rate of an optimizer's next update. tfjs-core's SGD and momentum optimizers, and @forger/kernels' fused
 * Adam and momentum, take setLearningRate; tfjs-core's Adam has no setter but reads its `learningRate` field at
 * every update.
 */
function setRate(optimizer: tf.Optimizer, rate: number): void {
  const settable = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void };
  if (typeof settable.setLearningRate === 'function') settable.setLearningRate(rate);
  else (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/**
 * One network's tfjs-core optimizer, with its state as a checkpoint's
 * OptimizerState (slots named `<layer>/<param>/<slot>`) and gradient clipping
 * by global norm. Gradients are always applied as one list in the network's
 * variable order, which is the order tfjs-core keeps its slots in.
 */
export class NetworkOptimizer {
  private optimizer: tf.Optimizer;
  /** What a learning-rate schedule makes of the config's rate (setLearningRateScale): 1 without one. */
  private rateScale = 1;

  constructor(
    readonly network: Network,
    readonly role: 'generator' | 'discriminator',
    readonly config: OptimizerConfig,
    // A backend may bring fused optimizers (one kernel per variable, @forger/trainer-node's
    // FusedAdamOptimizer); they must keep tfjs-core's getWeights/setWeights layout.
    private readonly makeOptimizer: OptimizerFactory = makeTfjsOptimizer,
  ) {
    if (tf.getGradient('Add') === undefined) {
      throw new ModelError(
        'gradients-missing',
        'training needs tfjs-core\'s gradients, which "@tensorflow/tfjs-core" does not register by itself: import "@tensorflow/tfjs-core/dist/register_all_gradients" (bundlers, vitest) or call @forger/trainer-node\'s registerGradients() (Node) first',
      );
    }
    this.optimizer = makeOptimizer(config);
  }

  get iterations(): number {
    return this.optimizer.iterations;
  }

  /** The rate of the next update: the config's, times the schedule's scale. */
  get learningRate(): number {
    return this.config.learningRate * this.rateScale;
  }

  /**
   * Updates from now on at `scale` times the config's rate (TrainOptions.learningRateDecaySteps). A restored
   * optimizer keeps the scale; a checkpoint's `hyper.learning_rate` stays the config's rate, the schedule's base.
   */
  setLearningRateScale(scale: number): void {
    if (!(scale >= 0 && scale <= 1)) throw new ModelError('bad-options', `a learning-rate scale must be in [0, 1], got ${scale}`, { where: this.role });
    this.rateScale = scale;
    setRate(this.optimizer, this.learningRate);
  }

  /**
   * One update that lowers `loss`. Returns the loss and, when clipping, the
   * global gradient norm before clipping (not computed otherwise: it costs two
   * kernels per variable); both are tensors of the caller's tidy scope.
   */
  minimize(loss: () => tf.Scalar, clipNorm = 0): { loss: tf.Scalar; gradientNorm?: tf.Scalar } {
    const { gradients, ...rest } = this.gradients(loss, clipNorm);
    this.apply(gradients);
    return rest;
  }

  /**
   * The first half of `minimize`: the loss and the (clipped) gradients, nothing updated yet, so that a caller can
   * look at the loss before deciding to update (the loss-threshold schedule, training/loss-threshold-schedule.ts).
   */
  gradients(loss: () => tf.Scalar, clipNorm = 0): { loss: tf.Scalar; gradients: NamedGradient[]; gradientNorm?: tf.Scalar } {
    const vars = this.network.trainableVariables;
    const { value, grads } = tf.variableGrads(loss, vars);
    let list = vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
    let gradientNorm: tf.Scalar | undefined;
    if (clipNorm > 0) {
      gradientNorm = globalNorm(list.map((g) => g.tensor));
      // tf.clip_by_global_norm: g · clip / max(norm, clip).
      const scale = tf.div(clipNorm, tf.maximum(gradientNorm, clipNorm));
      list = list.map((g) => ({ name: g.name, tensor: tf.mul(g.tensor, scale) }));
    }
    return { loss: value, gradients: list, gradientNorm };
  }

  /** The second half of `minimize`: applies what `gradients` returned, in the network's variable order. */
  apply(gradients: NamedGradient[]): void {
    this.optimizer.applyGradients(gradients);
  }

  async state(): Promise<OptimizerState> {
    const weights = await this.optimizer.getWeights();
    const [iter, ...slots] = weights;
    iter?.tensor.dispose(); // a fresh scalar each call; iterations are read from the optimizer
    const hyper = hyperOf(this.config);
    if (this.config.kind === 'adam') {
      const p = this.optimizer as unknown as AdamPowers;
      // Read back asynchronously: WebGPU in Node cannot read synchronously.
      hyper['beta1_power'] = (await p.accBeta1.data())[0]!;
      hyper['beta2_power'] = (await p.accBeta2.data())[0]!;
    }
    const values = await Promise.all(slots.map(async (w) => (await w.tensor.data()) as Float32Array));
    return {
      network: this.role,
      kind: this.config.kind,
      iterations: this.optimizer.iterations,
      hyper,
      slots: slots.map((w, i) => {
        const cut = w.name.lastIndexOf('/');
        const variable = tf.engine().registeredVariables[w.name.slice(0, cut)];
        if (!variable) throw new ModelError('bad-optimizer-state', `optimizer slot "${w.name}" refers to no live variable`);
        const name = `${this.network.parameterName(variable)}/${w.name.slice(cut + 1)}`;
        return float32ToCheckpointTensor(name, w.tensor.shape, values[i]!);
      }),
    };
  }

  /** Replaces the optimizer with one holding `state`'s slots and iteration count. */
  async restore(state: OptimizerState): Promise<void> {
    if (state.kind !== this.config.kind) {
      throw new ModelError('bad-optimizer-state', `${this.role} optimizer state is "${state.kind}" but this run uses "${this.config.kind}"`, { where: this.role });
    }
    const vars = this.network.trainableVariables;
    const byName = new Map(state.slots.map((s) => [s.name, s]));
    const slotNames = SLOTS[this.config.kind];
    // Before the first update tfjs-core has no slots yet; a state saved then has none either.
    const tensors: { name: string; tensor: tf.Tensor }[] = [{ name: 'iter', tensor: tf.scalar(state.iterations, 'int32') }];
    if (state.slots.length > 0) {
      for (const slot of slotNames) {
        for (const v of vars) {
          const key = `${this.network.parameterName(v)}/${slot}`;
          const t = byName.get(key);
          if (!t) throw new ModelError('bad-optimizer-state', `${this.role} optimizer state lacks slot "${key}" (shape [${v.shape.join(', ')}])`, { where: key });
          if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
            throw new ModelError('bad-optimizer-state', `${this.role} optimizer slot "${key}": expected shape [${v.shape.join(', ')}], found [${t.shape.join(', ')}]`, { where: key });
          }
          tensors.push({ name: `${v.name}/${slot}`, tensor: tf.tensor(checkpointTensorToFloat32(t), v.shape, 'float32') });
        }
      }
      if (state.slots.length !== vars.length * slotNames.length) {
        throw new ModelError('bad-optimizer-state', `${this.role} optimizer state has ${state.slots.length} slots, this network needs ${vars.length * slotNames.length}`, { where: this.role });
      }
    }
    const fresh = this.makeOptimizer(this.config);
    setRate(fresh, this.learningRate);
    await fresh.setWeights(tensors);
    // setWeights wraps our tensors in new variables; drop our references.
    for (const t of tensors) t.tensor.dispose();
    if (this.config.kind === 'adam' && state.hyper['beta1_power'] !== undefined && state.hyper['beta2_power'] !== undefined) {
      // tfjs-core recomputes β^t with pow() on restore, but training multiplied
      // it step by step in float32; the two differ in the last bits, so
      // restore the exact values we saved for a bit-identical resume.
      const p = fresh as unknown as AdamPowers;
      tf.tidy(() => {
        p.accBeta1.assign(tf.scalar(state.hyper['beta1_power']!));
        p.accBeta2.assign(tf.scalar(state.hyper['beta2_power']!));
      });
    }
    this.optimizer.dispose();
    this.optimizer = fresh;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/**
 * √(Σ‖g‖²) over all gradients (tf.global_norm). With ForgerSumOfSquares registered, one kernel per group of 7
 * gradients instead of a Square and a Sum per gradient (SSGAN-Tensorflow clips 26 of them per update).
 */
export function globalNorm(tensors: tf.Tensor[]): tf.Scalar {
  if (!hasForgerKernel(SUM_OF_SQUARES_KERNEL)) return tf.sqrt(sumOf(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
  const partials: tf.Tensor[] = [];
  for (let i = 0; i < tensors.length; i += SUM_OF_SQUARES_MOST_INPUTS) {
    const inputs = Object.fromEntries(tensors.slice(i, i + SUM_OF_SQUARES_MOST_INPUTS).map((t, j) => [`x${j}`, t]));
    partials.push(tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, inputs, {}) as tf.Tensor);
  }
  return tf.sqrt(tf.sum(sumOf(partials))) as tf.Scalar;
}
