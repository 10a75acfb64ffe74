import * as tf from '@tensorflow/tfjs-core';
import { checkpointTensorToFloat32, float32ToCheckpointTensor } from '@forger/core';
import type { CheckpointTensor, DType, LayerSpec, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { LayerKernel, ParameterSpec } from './layer.js';
import { layerKernel } from './registry.js';
import { initialValues } from './initializers.js';

export interface ApplyOptions {
  /** Training mode: batch statistics, dropout and noise. */
  training: boolean;
  /** Needed in training mode when the network has dropout or Gaussian-noise layers. */
  rng?: Rng;
  /**
   * Move the batch-norm moving statistics (training mode only). Defaults to
   * `training`; a trainer turns it off when the same network runs more than
   * once in a step (the generator inside the discriminator update).
   */
  updateStatistics?: boolean;
}

interface PlannedParameter extends ParameterSpec {
  /** `<layer>/<param>`: the checkpoint name. */
  key: string;
}

interface PlannedLayer {
  spec: LayerSpec;
  kernel: LayerKernel;
  inputShape: number[];
  outputShape: number[];
  parameters: PlannedParameter[];
}

/** Layers that only add training-time randomness: feature matching reads activations before them. */
const STOCHASTIC_KINDS = new Set<string>(['gaussian-noise', 'dropout']);

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Walks the spec once: every layer's input/output shape and the parameters it owns. */
function planLayers(layers: LayerSpec[], inputShape: number[]): PlannedLayer[] {
  if (layers.length === 0) throw new ModelError('bad-spec', 'a network needs at least one layer');
  if (inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelError('bad-spec', `a network input shape must be positive integers, got ${shapeText(inputShape)}`);
  }
  const names = new Set<string>();
  let shape = inputShape;
  return layers.map((spec) => {
    if (!spec.name || spec.name.includes('/')) {
      throw new ModelError('bad-spec', `layer names must be non-empty and free of "/", got "${spec.name}"`, { where: spec.name });
    }
    if (names.has(spec.name)) throw new ModelError('bad-spec', `two layers are named "${spec.name}"; names must be unique within a network`, { where: spec.name });
    names.add(spec.name);
    const kernel = layerKernel(spec.kind, spec.name);
    const parameters = kernel.parameters(spec, shape).map((p) => ({ ...p, key: `${spec.name}/${p.param}` }));
    const outputShape = kernel.outputShape(spec, shape);
    const planned = { spec, kernel, inputShape: shape, outputShape, parameters };
    shape = outputShape;
    return planned;
  });
}

/** tf.Variable names are global to the engine: find a free prefix for this instance. */
function uniquePrefix(prefix: string, keys: string[]): string {
  const registered = tf.engine().registeredVariables;
  const taken = (p: string): boolean => keys.some((k) => registered[`${p}/${k}`] !== undefined);
  let candidate = prefix;
  for (let i = 1; taken(candidate); i++) candidate = `${prefix}_${i}`;
  return candidate;
}

/**
 * A network: a list of LayerSpecs interpreted over named tf.Variables. The
 * spec alone fixes every parameter's name and shape, so a checkpoint's spec
 * and tensors rebuild it exactly. Variables live in the engine as
 * `<prefix>/<layer>/<param>`; checkpoints name them `<layer>/<param>`.
 */
export class Network {
  readonly layers: readonly LayerSpec[];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  private readonly plan: PlannedLayer[];
  private readonly byKey: Map<string, tf.Variable>;
  private readonly keyByVariable: Map<string, string>;
  private readonly featureLayer: number;
  private disposed = false;

  private constructor(plan: PlannedLayer[], inputShape: number[], values: (p: PlannedParameter) => tf.Tensor, prefix: string) {
    this.plan = plan;
    this.layers = plan.map((p) => p.spec);
    this.inputShape = [...inputShape];
    this.outputShape = plan[plan.length - 1]!.outputShape;
    this.byKey = new Map();
    this.keyByVariable = new Map();
    const all = plan.flatMap((l) => l.parameters);
    const unique = uniquePrefix(prefix, all.map((p) => p.key));
    for (const p of all) {
      const initial = values(p);
      const variable = tf.variable(initial, p.trainable, `${unique}/${p.key}`, 'float32');
      initial.dispose();
      this.byKey.set(p.key, variable);
      this.keyByVariable.set(variable.name, p.key);
    }
    // Feature matching compares the input of the last layer that has weights
    // (the discriminator's penultimate activations in Salimans et al. 2016),
    // before any noise or dropout that sits in front of it: improved-GAN's
    // MNIST code matches the last hidden dense layer's output, not that
    // output plus its Gaussian noise.
    let last = plan.length - 1;
    while (last > 0 && plan[last]!.parameters.length === 0) last--;
    while (last > 0 && STOCHASTIC_KINDS.has(plan[last - 1]!.spec.kind)) last--;
    this.featureLayer = last;
  }

  /** Fresh weights from `rng`, drawn in layer order (Keras defaults: Glorot-uniform kernels, zero biases). */
  static create(layers: LayerSpec[], inputShape: number[], rng: Rng, prefix = 'net'): Network {
    const plan = planLayers(layers, inputShape);
    return new Network(plan, inputShape, (p) => tf.tensor(initialValues(p.init, p.shape, rng), p.shape, 'float32'), prefix);
  }

  /**
   * Rebuilds a network from checkpoint tensors named `<layer>/<param>`. Every
   * parameter the spec implies must be present with its exact shape, and no
   * other tensor may be; float16 and int8 tensors are dequantised.
   */
  static fromCheckpoint(layers: LayerSpec[], inputShape: number[], tensors: CheckpointTensor[], prefix = 'net'): Network {
    const plan = planLayers(layers, inputShape);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const expected = plan.flatMap((l) => l.parameters);
    for (const p of expected) {
      const t = byName.get(p.key);
      if (!t) {
        throw new ModelError('missing-tensor', `checkpoint lacks tensor "${p.key}" (expected shape ${shapeText(p.shape)}) that layer "${p.key.split('/')[0]}" needs`, { where: p.key });
      }
      if (!sameShape(t.shape, p.shape)) {
        throw new ModelError('shape-mismatch', `tensor "${p.key}": expected shape ${shapeText(p.shape)}, found ${shapeText(t.shape)}`, { where: p.key });
      }
    }
    const known = new Set(expected.map((p) => p.key));
    const extra = tensors.find((t) => !known.has(t.name));
    if (extra) {
      throw new ModelError('unexpected-tensor', `checkpoint tensor "${extra.name}" ${shapeText(extra.shape)} belongs to no layer of this spec: the spec and the weights disagree`, { where: extra.name });
    }
    return new Network(plan, inputShape, (p) => tf.tensor(checkpointTensorToFloat32(byName.get(p.key)!), p.shape, 'float32'), prefix);
  }

  /** The tensors a spec implies, `<layer>/<param>` and shape, without allocating anything; throws ModelError on a bad spec. */
  static parameterShapes(layers: LayerSpec[], inputShape: number[]): { name: string; shape: number[]; trainable: boolean }[] {
    return planLayers(layers, inputShape).flatMap((l) => l.parameters.map((p) => ({ name: p.key, shape: p.shape, trainable: p.trainable })));
  }

  /** The output shape a spec gives for an input shape (batch axis excluded). */
  static outputShapeOf(layers: LayerSpec[], inputShape: number[]): number[] {
    const plan = planLayers(layers, inputShape);
    return plan[plan.length - 1]!.outputShape;
  }

  apply(x: tf.Tensor, opts: ApplyOptions): tf.Tensor {
    return this.run(x, opts).output;
  }

  /** `features` is the input of the last layer with weights (feature matching, Salimans et al. 2016). */
  applyWithFeatures(x: tf.Tensor, opts: ApplyOptions): { output: tf.Tensor; features: tf.Tensor } {
    return this.run(x, opts);
  }

  private run(x: tf.Tensor, opts: ApplyOptions): { output: tf.Tensor; features: tf.Tensor } {
    if (this.disposed) throw new ModelError('bad-input', 'this network was disposed');
    if (!sameShape(x.shape.slice(1), this.inputShape)) {
      throw new ModelError('bad-input', `network input must be [batch, ${this.inputShape.join(', ')}], got ${shapeText(x.shape)}`);
    }
    const ctx = { training: opts.training, updateStatistics: opts.training && (opts.updateStatistics ?? true), rng: opts.rng };
    let y = x;
    let features = x;
    this.plan.forEach((layer, i) => {
      if (i === this.featureLayer) features = y;
      y = layer.kernel.apply(y, layer.spec, this.parametersOf(layer), ctx);
    });
    return { output: y, features };
  }

  /**
   * True when a layer mixes the images of a batch (batch norm's statistics, minibatch discrimination's
   * distances): then two batches through this network are not the same as one batch of both stacked.
   */
  get looksAcrossBatch(): boolean {
    return this.plan.some((l) => l.spec.kind === 'batch-norm' || l.spec.kind === 'minibatch-discrimination');
  }

  /** True when some layer (a weight-normalised dense) sets its parameters from data before training: see initializeFromData. */
  get needsDataInitialization(): boolean {
    return this.plan.some((l) => l.kernel.initializeFromData !== undefined && l.spec.weightNorm !== undefined);
  }

  /**
   * Data-dependent initialisation (Salimans & Kingma 2016 §3): runs `x`
   * through the network in training mode (noise and dropout on, batch-norm
   * statistics left alone) and lets each layer that can set its parameters so
   * that this batch's pre-activations have zero mean and unit variance. Each
   * layer sees the output of the layers before it as already initialised.
   * Called once, before the first update; a resumed run never calls it.
   */
  initializeFromData(x: tf.Tensor, opts: { rng?: Rng } = {}): void {
    if (this.disposed) throw new ModelError('bad-input', 'this network was disposed');
    if (!sameShape(x.shape.slice(1), this.inputShape)) {
      throw new ModelError('bad-input', `network input must be [batch, ${this.inputShape.join(', ')}], got ${shapeText(x.shape)}`);
    }
    if (x.shape[0]! < 2) throw new ModelError('bad-input', `data-dependent initialisation needs a batch of at least 2 images to measure a variance, got ${x.shape[0]}`);
    const ctx = { training: true, updateStatistics: false, rng: opts.rng };
    tf.tidy(() => {
      let y = x;
      for (const layer of this.plan) {
        const params = this.parametersOf(layer);
        y = layer.kernel.initializeFromData?.(y, layer.spec, params, ctx) ?? layer.kernel.apply(y, layer.spec, params, ctx);
      }
    });
  }

  /** One layer's variables by parameter name (`kernel`, `bias`, …), as its kernel reads them. */
  private parametersOf(layer: PlannedLayer): Record<string, tf.Variable> {
    const params: Record<string, tf.Variable> = {};
    for (const p of layer.parameters) params[p.param] = this.byKey.get(p.key)!;
    return params;
  }

  /** Weights trained by gradients, in layer order (the order optimizer slots follow). */
  get trainableVariables(): tf.Variable[] {
    return this.plan.flatMap((l) => l.parameters.filter((p) => p.trainable).map((p) => this.byKey.get(p.key)!));
  }

  /** Every variable, moving statistics included, in layer order. */
  get variables(): tf.Variable[] {
    return this.plan.flatMap((l) => l.parameters.map((p) => this.byKey.get(p.key)!));
  }

  /** The checkpoint name `<layer>/<param>` of one of this network's variables. */
  parameterName(variable: tf.Variable): string {
    const key = this.keyByVariable.get(variable.name);
    if (key === undefined) throw new ModelError('bad-input', `variable "${variable.name}" does not belong to this network`);
    return key;
  }

  /** One variable by its checkpoint name `<layer>/<param>`. */
  variable(key: string): tf.Variable {
    const v = this.byKey.get(key);
    if (!v) throw new ModelError('missing-tensor', `this network has no parameter "${key}"`, { where: key });
    return v;
  }

  /**
   * Every parameter as `<layer>/<param>` tensors, ready for a checkpoint, read synchronously: on the cpu and
   * wasm backends. WebGPU in Node cannot read a tensor synchronously (tfjs needs an OffscreenCanvas for it):
   * use readCheckpointTensors there, or anywhere.
   */
  toCheckpointTensors(dtype: DType = 'float32'): CheckpointTensor[] {
    return this.checkpointTensorsOf(this.parameterList().map((p) => this.byKey.get(p.key)!.dataSync() as Float32Array), dtype);
  }

  /** toCheckpointTensors on any backend: the values are read back asynchronously. */
  async readCheckpointTensors(dtype: DType = 'float32'): Promise<CheckpointTensor[]> {
    const values = await Promise.all(this.parameterList().map(async (p) => (await this.byKey.get(p.key)!.data()) as Float32Array));
    return this.checkpointTensorsOf(values, dtype);
  }

  private parameterList(): PlannedParameter[] {
    return this.plan.flatMap((l) => l.parameters);
  }

  private checkpointTensorsOf(values: Float32Array[], dtype: DType): CheckpointTensor[] {
    return this.parameterList().map((p, i) => float32ToCheckpointTensor(p.key, p.shape, values[i]!, dtype));
  }

  /** Number of weights (moving statistics included). */
  get parameterCount(): number {
    return this.plan.flatMap((l) => l.parameters).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.byKey.values()) v.dispose();
  }
}
