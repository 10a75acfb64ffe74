import * as tf from '@tensorflow/tfjs-core';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from '@forger/core';
import type { CheckpointTensor } from '@forger/core';
import { ModelError } from '../errors.js';
import type { Network } from '../network/network.js';

/** Where the discriminator's evaluation average travels in TrainingState.extra: `<prefix>/<layer>/<param>`. */
export const EVALUATION_AVERAGE_PREFIX = 'evaluation_average/discriminator';

/**
 * A running average of a network's trainable parameters, updated after each
 * step with weight w = max(rate, 1/count): the plain mean of every step so far
 * while count < 1/rate, then an exponential moving average with that rate
 * (no rate: always the plain mean). Starting as a plain mean keeps the
 * initial weights from lingering in a short run, which an EMA started from
 * them (or from zero, as improved-GAN's code does) would.
 * The averages and the count are training state, saved as
 * `<prefix>/<layer>/<param>` and `<prefix>/count`.
 */
export class ParameterAverage {
  private readonly averages: tf.Variable[];
  private count = 0;

  constructor(
    protected readonly network: Network,
    readonly prefix: string,
    private readonly rate?: number,
  ) {
    if (rate !== undefined && !(rate > 0 && rate <= 1)) throw new ModelError('bad-options', `an average's rate must be in (0, 1], got ${rate}`);
    this.averages = tf.tidy(() => network.trainableVariables.map((v) => tf.variable(v.clone(), false)));
  }

  /** The averages, in the order of network.trainableVariables. */
  get values(): readonly tf.Variable[] {
    return this.averages;
  }

  get updates(): number {
    return this.count;
  }

  /** Folds the current parameters into the average (call after each update). */
  update(): void {
    this.count++;
    const w = Math.max(this.rate ?? 0, 1 / this.count);
    const vars = this.network.trainableVariables;
    tf.tidy(() => this.averages.forEach((a, i) => a.assign(tf.add(a, tf.mul(tf.sub(vars[i]!, a), w)))));
  }

  /** The averages and their count as checkpoint tensors (read back asynchronously: any backend). */
  async toCheckpointTensors(): Promise<CheckpointTensor[]> {
    const vars = this.network.trainableVariables;
    const values = await Promise.all(this.averages.map(async (a) => (await a.data()) as Float32Array));
    const means = this.averages.map((a, i) => float32ToCheckpointTensor(`${this.prefix}/${this.network.parameterName(vars[i]!)}`, a.shape, values[i]!));
    return [...means, float32ToCheckpointTensor(`${this.prefix}/count`, [], new Float32Array([this.count]))];
  }

  /** Restores what toCheckpointTensors() saved; `what` names the feature in the error when a tensor is missing. */
  restore(tensors: CheckpointTensor[], what: string): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const countName = `${this.prefix}/count`;
    const countTensor = byName.get(countName);
    if (!countTensor) throw new ModelError('missing-tensor', `training state lacks "${countName}" that ${what} needs`, { where: countName });
    const vars = this.network.trainableVariables;
    const values = vars.map((v) => {
      const name = `${this.prefix}/${this.network.parameterName(v)}`;
      const t = byName.get(name);
      if (!t) throw new ModelError('missing-tensor', `training state lacks "${name}" that ${what} needs`, { where: name });
      if (t.shape.join(',') !== v.shape.join(',')) throw new ModelError('shape-mismatch', `tensor "${name}": expected shape [${v.shape.join(', ')}], found [${t.shape.join(', ')}]`, { where: name });
      return checkpointTensorToFloat32(t);
    });
    this.count = checkpointTensorToFloat32(countTensor)[0]!;
    tf.tidy(() => this.averages.forEach((a, i) => a.assign(tf.tensor(values[i]!, a.shape, 'float32'))));
  }

  dispose(): void {
    for (const a of this.averages) a.dispose();
  }
}

/**
 * The discriminator's evaluation average of a semi-supervised run (or of its supervised baseline): `rate` when given,
 * else 1e-3 for the 'improved' loss and none for 'ssgan'; undefined when off (rate 0).
 */
export function evaluationAverageFor(discriminator: Network, sslLoss: 'ssgan' | 'improved' | undefined, rate: number | undefined): ParameterAverage | undefined {
  const r = rate ?? (sslLoss === 'improved' ? 1e-3 : 0);
  return r > 0 ? new ParameterAverage(discriminator, EVALUATION_AVERAGE_PREFIX, r) : undefined;
}

/**
 * A network's tensors with the averaged ones put in place of the trained
 * ones where `extra` holds an average under `prefix` (parameters that are not
 * trained, such as batch-norm statistics, stay as they are). `averaged` is
 * false when `extra` has no such average.
 */
export function withAveragedParameters(tensors: CheckpointTensor[], extra: CheckpointTensor[], prefix: string): { tensors: CheckpointTensor[]; averaged: boolean } {
  const averages = new Map(extra.filter((t) => t.name.startsWith(`${prefix}/`)).map((t) => [t.name.slice(prefix.length + 1), t]));
  if (averages.size === 0) return { tensors, averaged: false };
  return { tensors: tensors.map((t) => (averages.has(t.name) ? { ...averages.get(t.name)!, name: t.name } : t)), averaged: true };
}
