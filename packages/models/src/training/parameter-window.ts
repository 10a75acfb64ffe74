import * as tf from '@tensorflow/tfjs-core';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from '@forger/core';
import type { CheckpointTensor } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';

/**
 * The mean of a network's trainable parameters over the last `size` updates: (1/t) Σ θ[i] over the past t steps,
 * the historical average as Salimans et al. 2016 (§3.3) write it. A ring buffer holds the last t snapshots and a
 * running sum of them (one subtraction and one addition per update, whatever t); before the first update the
 * mean is the current parameters, as ParameterAverage's is.
 * The ring, the sum and the count are training state, saved as `<prefix>/window/<slot>/<layer>/<param>`,
 * `<prefix>/sum/<layer>/<param>` and `<prefix>/count`, so a resumed run continues bit for bit.
 */
export class ParameterWindow {
  private readonly ring: tf.Variable[][];
  private readonly sums: tf.Variable[];
  private readonly means: tf.Variable[];
  private count = 0;

  constructor(
    private readonly network: Network,
    readonly prefix: string,
    readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new ModelError('bad-options', `a parameter window holds a whole number ≥ 1 of steps, got ${size}`);
    const vars = network.trainableVariables;
    this.ring = tf.tidy(() => Array.from({ length: size }, () => vars.map((v) => tf.variable(tf.zerosLike(v), false))));
    this.sums = tf.tidy(() => vars.map((v) => tf.variable(tf.zerosLike(v), false)));
    this.means = tf.tidy(() => vars.map((v) => tf.variable(v.clone(), false)));
  }

  /** The means, in the order of network.trainableVariables. */
  get values(): readonly tf.Variable[] {
    return this.means;
  }

  get updates(): number {
    return this.count;
  }

  /** Puts the current parameters in the ring in place of the oldest ones (call after each update). */
  update(): void {
    const slot = this.ring[this.count % this.size]!;
    const full = this.count >= this.size;
    this.count++;
    const filled = Math.min(this.count, this.size);
    const vars = this.network.trainableVariables;
    tf.tidy(() =>
      vars.forEach((v, i) => {
        const sum = full ? tf.add(tf.sub(this.sums[i]!, slot[i]!), v) : tf.add(this.sums[i]!, v);
        this.sums[i]!.assign(sum);
        slot[i]!.assign(v);
        this.means[i]!.assign(tf.div(sum, filled));
      }),
    );
  }

  async toCheckpointTensors(): Promise<CheckpointTensor[]> {
    const vars = this.network.trainableVariables;
    const named = async (name: string, t: tf.Variable): Promise<CheckpointTensor> => float32ToCheckpointTensor(name, t.shape, (await t.data()) as Float32Array);
    const out: CheckpointTensor[] = [];
    for (const [s, slot] of this.ring.entries()) {
      for (const [i, t] of slot.entries()) out.push(await named(`${this.prefix}/window/${s}/${this.network.parameterName(vars[i]!)}`, t));
    }
    for (const [i, t] of this.sums.entries()) out.push(await named(`${this.prefix}/sum/${this.network.parameterName(vars[i]!)}`, t));
    for (const [i, t] of this.means.entries()) out.push(await named(`${this.prefix}/mean/${this.network.parameterName(vars[i]!)}`, t));
    out.push(float32ToCheckpointTensor(`${this.prefix}/count`, [], new Float32Array([this.count])));
    return out;
  }

  /** Restores what toCheckpointTensors() saved; `what` names the feature in the error when a tensor is missing. */
  restore(tensors: CheckpointTensor[], what: string): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const vars = this.network.trainableVariables;
    const read = (name: string, shape: number[]): Float32Array => {
      const t = byName.get(name);
      if (!t) throw new ModelError('missing-tensor', `training state lacks "${name}" that ${what} needs (was the run saved with another window?)`, { where: name });
      if (t.shape.join(',') !== shape.join(',')) throw new ModelError('shape-mismatch', `tensor "${name}": expected shape [${shape.join(', ')}], found [${t.shape.join(', ')}]`, { where: name });
      return checkpointTensorToFloat32(t);
    };
    if (byName.has(`${this.prefix}/window/${this.size}/${this.network.parameterName(vars[0]!)}`)) {
      throw new ModelError('bad-options', `training state holds a window longer than ${this.size} steps under "${this.prefix}": resume with the window it was saved with`, { where: this.prefix });
    }
    const count = read(`${this.prefix}/count`, [])[0]!;
    const ring = this.ring.map((slot, s) => slot.map((_, i) => read(`${this.prefix}/window/${s}/${this.network.parameterName(vars[i]!)}`, vars[i]!.shape)));
    const sums = vars.map((v) => read(`${this.prefix}/sum/${this.network.parameterName(v)}`, v.shape));
    const means = vars.map((v) => read(`${this.prefix}/mean/${this.network.parameterName(v)}`, v.shape));
    this.count = count;
    tf.tidy(() => {
      this.ring.forEach((slot, s) => slot.forEach((t, i) => t.assign(tf.tensor(ring[s]![i]!, t.shape, 'float32'))));
      this.sums.forEach((t, i) => t.assign(tf.tensor(sums[i]!, t.shape, 'float32')));
      this.means.forEach((t, i) => t.assign(tf.tensor(means[i]!, t.shape, 'float32')));
    });
  }

  dispose(): void {
    for (const t of [...this.ring.flat(), ...this.sums, ...this.means]) t.dispose();
  }
}
