import * as tf from '@tensorflow/tfjs-core';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from '@forger/core';
import type { CheckpointTensor } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';

/**
 * Historical averaging (Salimans et al. 2016, §3.3): each player's loss gains
 * ‖θ − (1/t) Σᵢ θ[i]‖², pulling the parameters toward their own running mean
 * so the two players do not orbit each other. The running means are training
 * state: they travel in TrainingState.extra as `historical_average/<role>/<layer>/<param>`.
 */
export class HistoricalAverage {
  private readonly averages: tf.Variable[];
  private count = 0;

  constructor(
    private readonly network: Network,
    private readonly role: 'generator' | 'discriminator',
  ) {
    this.averages = tf.tidy(() => network.trainableVariables.map((v) => tf.variable(v.clone(), false)));
  }

  /** Σ‖θ − θ̄‖² over all trainable parameters, as a scalar on the tape. */
  penalty(): tf.Scalar {
    const vars = this.network.trainableVariables;
    return tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, this.averages[i]!))))) as tf.Scalar;
  }

  /** Folds the current parameters into the running mean (call after each update). */
  update(): void {
    this.count++;
    const w = 1 / this.count;
    const vars = this.network.trainableVariables;
    tf.tidy(() => this.averages.forEach((a, i) => a.assign(tf.add(a, tf.mul(tf.sub(vars[i]!, a), w)))));
  }

  private prefix(): string {
    return `historical_average/${this.role}`;
  }

  toCheckpointTensors(): CheckpointTensor[] {
    const vars = this.network.trainableVariables;
    const means = this.averages.map((a, i) => float32ToCheckpointTensor(`${this.prefix()}/${this.network.parameterName(vars[i]!)}`, a.shape, a.dataSync() as Float32Array));
    return [...means, float32ToCheckpointTensor(`${this.prefix()}/count`, [], new Float32Array([this.count]))];
  }

  restore(tensors: CheckpointTensor[]): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const countTensor = byName.get(`${this.prefix()}/count`);
    if (!countTensor) throw new ModelError('missing-tensor', `training state lacks "${this.prefix()}/count" that historical averaging needs`, `${this.prefix()}/count`);
    const vars = this.network.trainableVariables;
    const values = vars.map((v) => {
      const name = `${this.prefix()}/${this.network.parameterName(v)}`;
      const t = byName.get(name);
      if (!t) throw new ModelError('missing-tensor', `training state lacks "${name}" that historical averaging needs`, name);
      if (t.shape.join(',') !== v.shape.join(',')) throw new ModelError('shape-mismatch', `tensor "${name}": expected shape [${v.shape.join(', ')}], found [${t.shape.join(', ')}]`, name);
      return checkpointTensorToFloat32(t);
    });
    this.count = checkpointTensorToFloat32(countTensor)[0]!;
    tf.tidy(() => this.averages.forEach((a, i) => a.assign(tf.tensor(values[i]!, a.shape, 'float32'))));
  }

  dispose(): void {
    for (const a of this.averages) a.dispose();
  }
}
