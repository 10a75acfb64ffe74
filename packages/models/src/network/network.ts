import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, checkpointTensorToFloat32, float32ToCheckpointTensor } from '@forger/core';
import type { CheckpointTensor, DType, LayerSpec, Rng } from '@forger/core';
import { ModelError } from '../errors.js';
import type { LayerKernel, ParameterSpec } from './layer.js';
import { layerKernel } from './registry.js';
import { initialValues } from './initializers.js';
import { applyFoldedUpsampleConv, planSubPixelFold, upsampleConvRoute, type SubPixelFold } from './subpixel-fold.js';

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
  /** Replaces every batch-norm layer's momentum for this pass (see LayerContext.statisticsMomentum). */
  statisticsMomentum?: number;
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
const STOCHASTIC_KINDS = new Set<string>(['gaussian-noise', 'dropout', 'persistent-dropout']);

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The most float32 activation memory one sample may need on its way through a network: the input plus every layer's
 * output, summed (what a forward pass holds when nothing is freed early). Forger's DCGAN generator needs 0.44 MiB on
 * 28×28 MNIST and 2.3 MiB at 64×64×3. 256 MiB leaves two orders of magnitude for bigger models yet keeps one sample inside a
 * browser's WebAssembly heap (2–4 GiB) and a GPU tab's budget: a spec over it is a hostile or broken file (an ×65535
 * upsample asks for terabytes), and running it would abort the WASM module and poison the page (issue 18).
 */
export const MAX_ACTIVATION_BYTES_PER_SAMPLE = 256 * 1024 * 1024;

const FLOAT32_BYTES = 4;

/** `generator[3] "up" (upsample)`: the network, the layer's index and name, and its kind. */
function layerWhere(network: string, index: number, spec: LayerSpec): string {
  return `${network}[${index}] "${spec.name}" (${spec.kind})`;
}

/**
 * Walks the spec once: every layer's input/output shape and the parameters it owns. Before anything is allocated it
 * proves the network can run: every output dimension a positive integer (a max-pool window larger than its input
 * gives none) and the activations of one sample within MAX_ACTIVATION_BYTES_PER_SAMPLE.
 */
function planLayers(layers: LayerSpec[], inputShape: number[], network: string): { layers: PlannedLayer[]; activationBytes: number } {
  if (layers.length === 0) throw new ModelError('bad-spec', `the ${network} needs at least one layer`, { where: network });
  if (inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelError('bad-spec', `a network input shape must be positive integers, got ${shapeText(inputShape)}`, { where: network });
  }
  const names = new Set<string>();
  let shape = inputShape;
  let activationBytes = elementsOf(inputShape) * FLOAT32_BYTES;
  if (activationBytes > MAX_ACTIVATION_BYTES_PER_SAMPLE) {
    throw new ModelError('too-large', `the ${network}'s input ${shapeText(inputShape)} alone takes ${mebibytes(activationBytes)} per sample, over the ${mebibytes(MAX_ACTIVATION_BYTES_PER_SAMPLE)} limit`, { where: `${network} input` });
  }
  const planned = layers.map((spec, index) => {
    if (!spec.name || spec.name.includes('/')) {
      throw new ModelError('bad-spec', `layer names must be non-empty and free of "/", got "${spec.name}"`, { where: spec.name });
    }
    if (names.has(spec.name)) throw new ModelError('bad-spec', `two layers are named "${spec.name}"; names must be unique within a network`, { where: spec.name });
    names.add(spec.name);
    const kernel = layerKernel(spec.kind, spec.name);
    const parameters = kernel.parameters(spec, shape).map((p) => ({ ...p, key: `${spec.name}/${p.param}` }));
    const outputShape = kernel.outputShape(spec, shape);
    const where = layerWhere(network, index, spec);
    if (outputShape.length === 0 || !outputShape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw new ModelError('bad-spec', `${where} turns input ${shapeText(shape)} into ${shapeText(outputShape)}: every output size must be a positive integer (is a window or kernel larger than its input?)`, { where });
    }
    activationBytes += elementsOf(outputShape) * FLOAT32_BYTES;
    if (activationBytes > MAX_ACTIVATION_BYTES_PER_SAMPLE) {
      throw new ModelError('too-large', `${where} outputs ${shapeText(outputShape)}: the ${network} would need ${mebibytes(activationBytes)} of activations for one sample by this layer, over the ${mebibytes(MAX_ACTIVATION_BYTES_PER_SAMPLE)} limit`, { where });
    }
    const layer = { spec, kernel, inputShape: shape, outputShape, parameters };
    shape = outputShape;
    return layer;
  });
  return { layers: planned, activationBytes };
}

function elementsOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1024 * 1024 ? `${(mib / (1024 * 1024)).toPrecision(3)} TiB` : mib >= 1024 ? `${(mib / 1024).toPrecision(3)} GiB` : `${mib.toPrecision(3)} MiB`;
}

/**
 * The checkpoint's tensors as float32, matched to the planned parameters: every parameter present with its exact
 * shape, no stray tensor, every value finite and every batch-norm moving variance ≥ 0. A NaN or Inf weight (a
 * diverged run, a float16 overflow) or a negative variance (sqrt of it is NaN) would otherwise render black images
 * without a word (issue 18), so the file is refused here, naming the tensor.
 */
function checkpointValues(plan: PlannedLayer[], tensors: CheckpointTensor[], network: string): Map<string, Float32Array> {
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
  const values = new Map<string, Float32Array>();
  for (const layer of plan) {
    for (const p of layer.parameters) {
      const v = checkpointTensorToFloat32(byName.get(p.key)!);
      checkFiniteValues(v, p.key, network);
      if (layer.spec.kind === 'batch-norm' && p.param === 'moving_variance') checkVariance(v, p.key, network);
      values.set(p.key, v);
    }
  }
  return values;
}

function checkFiniteValues(values: Float32Array, key: string, network: string): void {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad > 0) {
    throw new CheckpointError('not-finite', `tensor "${key}" holds ${bad} non-finite value${bad === 1 ? '' : 's'} (the first, at index ${first}, is ${values[first]}): the weights are damaged or the run diverged; use an earlier checkpoint`, { where: `${network} "${key}"` });
  }
}

function checkVariance(values: Float32Array, key: string, network: string): void {
  const i = values.findIndex((v) => v < 0);
  if (i >= 0) {
    throw new CheckpointError('not-finite', `batch-norm moving variance "${key}" is ${values[i]} at index ${i}; a variance is never negative (its square root would be NaN)`, { where: `${network} "${key}"` });
  }
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
  /** Float32 bytes one sample's activations take (input plus every layer's output): size batches by it. */
  readonly activationBytesPerSample: number;
  private readonly plan: PlannedLayer[];
  private readonly byKey: Map<string, tf.Variable>;
  private readonly keyByVariable: Map<string, string>;
  private readonly featureLayer: number;
  /** By the index of an upsample: how it and the conv2d after it run as one sub-pixel convolution at inference. */
  private readonly subPixelFolds: Map<number, SubPixelFold>;
  private disposed = false;

  private constructor(planned: { layers: PlannedLayer[]; activationBytes: number }, inputShape: number[], values: (p: PlannedParameter) => tf.Tensor, prefix: string) {
    const plan = planned.layers;
    this.plan = plan;
    this.activationBytesPerSample = planned.activationBytes;
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
    this.subPixelFolds = new Map();
    for (let i = 0; i + 1 < plan.length; i++) {
      const fold = planSubPixelFold(plan[i]!.spec, plan[i + 1]!.spec);
      if (fold) this.subPixelFolds.set(i, fold);
    }
  }

  /** Fresh weights from `rng`, drawn in layer order (Keras defaults: Glorot-uniform kernels, zero biases). */
  static create(layers: LayerSpec[], inputShape: number[], rng: Rng, prefix = 'net'): Network {
    const plan = planLayers(layers, inputShape, prefix);
    return new Network(plan, inputShape, (p) => tf.tensor(initialValues(p.init, p.shape, rng), p.shape, 'float32'), prefix);
  }

  /**
   * Rebuilds a network from checkpoint tensors named `<layer>/<param>`. Every
   * parameter the spec implies must be present with its exact shape, and no
   * other tensor may be; float16 and int8 tensors are dequantised.
   */
  static fromCheckpoint(layers: LayerSpec[], inputShape: number[], tensors: CheckpointTensor[], prefix = 'net'): Network {
    const plan = planLayers(layers, inputShape, prefix);
    const values = checkpointValues(plan.layers, tensors, prefix);
    return new Network(plan, inputShape, (p) => tf.tensor(values.get(p.key)!, p.shape, 'float32'), prefix);
  }

  /**
   * Everything fromCheckpoint proves before it allocates, without a backend: the spec can run (positive shapes,
   * activations within MAX_ACTIVATION_BYTES_PER_SAMPLE), the tensors fit it, and every value is finite with
   * non-negative batch-norm variances. Throws ModelError or CheckpointError; returns one sample's activation bytes.
   */
  static checkCheckpoint(layers: LayerSpec[], inputShape: number[], tensors: CheckpointTensor[], network = 'net'): number {
    const plan = planLayers(layers, inputShape, network);
    checkpointValues(plan.layers, tensors, network);
    return plan.activationBytes;
  }

  /** The tensors a spec implies, `<layer>/<param>` and shape, without allocating anything; throws ModelError on a bad spec. */
  static parameterShapes(layers: LayerSpec[], inputShape: number[]): { name: string; shape: number[]; trainable: boolean }[] {
    return planLayers(layers, inputShape, 'network').layers.flatMap((l) => l.parameters.map((p) => ({ name: p.key, shape: p.shape, trainable: p.trainable })));
  }

  /** The output shape a spec gives for an input shape (batch axis excluded). */
  static outputShapeOf(layers: LayerSpec[], inputShape: number[], network = 'network'): number[] {
    const plan = planLayers(layers, inputShape, network).layers;
    return plan[plan.length - 1]!.outputShape;
  }

  /** Float32 bytes of one sample's activations (input plus every layer's output) for a spec; throws ModelError on a bad spec. */
  static activationBytesOf(layers: LayerSpec[], inputShape: number[], network = 'network'): number {
    return planLayers(layers, inputShape, network).activationBytes;
  }

  apply(x: tf.Tensor, opts: ApplyOptions): tf.Tensor {
    return this.run(x, opts, false).output;
  }

  /** `features` is the input of the last layer with weights (feature matching, Salimans et al. 2016). */
  applyWithFeatures(x: tf.Tensor, opts: ApplyOptions): { output: tf.Tensor; features: tf.Tensor } {
    return this.run(x, opts, true);
  }

  private run(x: tf.Tensor, opts: ApplyOptions, wantFeatures: boolean): { output: tf.Tensor; features: tf.Tensor } {
    if (this.disposed) throw new ModelError('bad-input', 'this network was disposed');
    if (!sameShape(x.shape.slice(1), this.inputShape)) {
      throw new ModelError('bad-input', `network input must be [batch, ${this.inputShape.join(', ')}], got ${shapeText(x.shape)}`);
    }
    const ctx = { training: opts.training, updateStatistics: opts.training && (opts.updateStatistics ?? true), rng: opts.rng, statisticsMomentum: opts.statisticsMomentum };
    // Inference runs each nearest upsample + conv2d pair as one sub-pixel convolution (subpixel-fold.ts), unless the
    // upsampled image itself is asked for (the features of a conv that is the feature layer).
    const fold = !opts.training && upsampleConvRoute() === 'subpixel';
    let y = x;
    let features = x;
    for (let i = 0; i < this.plan.length; i++) {
      if (i === this.featureLayer) features = y;
      const subPixel = fold ? this.subPixelFolds.get(i) : undefined;
      if (subPixel && !(wantFeatures && i + 1 === this.featureLayer)) {
        const conv = this.plan[i + 1]!;
        const params = this.parametersOf(conv);
        y = applyFoldedUpsampleConv(y as tf.Tensor4D, conv.spec, params['kernel']! as tf.Tensor4D, params['bias'], subPixel);
        i++;
        continue;
      }
      const layer = this.plan[i]!;
      y = layer.kernel.apply(y, layer.spec, this.parametersOf(layer), ctx);
    }
    return { output: y, features };
  }

  /**
   * True when a layer mixes the images of a batch (batch norm's statistics, minibatch discrimination's
   * distances): then two batches through this network are not the same as one batch of both stacked.
   */
  get looksAcrossBatch(): boolean {
    return this.plan.some((l) => l.spec.kind === 'batch-norm' || l.spec.kind === 'minibatch-discrimination');
  }

  /**
   * True when the network draws noise in inference too (persistent dropout, the chapter's "dropout in G"): sampling
   * must pass `apply(x, { training: false, rng })`.
   */
  get samplesWithNoise(): boolean {
    return this.plan.some((l) => l.spec.kind === 'persistent-dropout' && (l.spec.rate ?? 0) > 0);
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

  /** The batch-norm layers' moving statistics (what inference normalises by), in layer order; empty without batch norm. */
  get movingStatistics(): tf.Variable[] {
    return this.plan.filter((l) => l.spec.kind === 'batch-norm').flatMap((l) => l.parameters.filter((p) => !p.trainable).map((p) => this.byKey.get(p.key)!));
  }

  /**
   * Sets every batch-norm layer's moving statistics to the plain mean, over `batches` batches from `input`, of the
   * batch statistics that training mode computes with the weights the network holds now: for weights that were
   * never trained as they stand (a generator average), whose moving statistics would otherwise be another
   * network's. Layer by layer, each layer's statistics are of its input as training mode feeds it. Noise layers
   * (dropout in G) draw from `rng`; the weights do not change.
   */
  estimateBatchNormStatistics(input: (batch: number) => tf.Tensor, batches: number, opts: { rng?: Rng } = {}): void {
    if (this.disposed) throw new ModelError('bad-input', 'this network was disposed');
    if (!Number.isInteger(batches) || batches < 1) throw new ModelError('bad-input', `estimating batch-norm statistics needs at least one batch, got ${batches}`);
    for (let k = 0; k < batches; k++) {
      // momentum k/(k+1) on the k-th batch: moving = (k·moving + batch)/(k + 1), the running plain mean
      tf.tidy(() => {
        this.run(input(k), { training: true, updateStatistics: true, statisticsMomentum: k / (k + 1), rng: opts.rng }, false);
      });
    }
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
