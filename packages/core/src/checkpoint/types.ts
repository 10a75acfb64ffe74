// The friendly mirror of proto/forger/v1/checkpoint.proto: string enums instead
// of numbers, camelCase, plain numbers instead of Longs. Every package codes
// against these types; only encode.ts / decode.ts see the generated classes.

/** `acgan` is class-conditional: its generator reads z then the one-hot class (Odena et al. 2017). */
export type ModelFamily = 'vanilla' | 'dcgan' | 'ssgan' | 'classifier' | 'acgan';
/** `uniform` is U(-1, 1) per component, `normal` is N(0, 1). */
export type LatentPrior = 'uniform' | 'normal';
/** `zero-one` for sigmoid generators, `minus-one-one` for tanh generators. */
export type PixelRange = 'zero-one' | 'minus-one-one';
export type LayerKind =
  | 'dense'
  | 'conv2d'
  | 'conv2d-transpose'
  | 'batch-norm'
  | 'activation'
  | 'upsample'
  | 'max-pool'
  | 'reshape'
  | 'flatten'
  | 'dropout'
  | 'gaussian-noise'
  | 'minibatch-discrimination'
  | 'global-average-pool'
  | 'average-pool'
  | 'instance-norm'
  | 'pixel-shuffle'
  | 'bilinear-upsample'
  | 'persistent-dropout';
export type Activation = 'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'softplus';
export type Padding = 'same' | 'valid';

export interface LayerSpec {
  kind: LayerKind;
  /** Unique within its network; prefixes its tensors: `<name>/kernel`. */
  name: string;
  units?: number;
  kernelSize?: number;
  strides?: number;
  padding?: Padding;
  activation?: Activation;
  rate?: number;
  targetShape?: number[];
  epsilon?: number;
  momentum?: number;
  useBias?: boolean;
  /**
   * Dense only: weight normalisation, kernel · scale / ‖kernel‖ per unit.
   * 'fixed-scale': the scale comes from data-dependent initialisation and is
   * not trained; 'trained-scale': it trains with the rest.
   */
  weightNorm?: WeightNorm;
}

export type WeightNorm = 'fixed-scale' | 'trained-scale';

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

export interface ModelSpec {
  family: ModelFamily;
  variant: string;
  latentDim: number;
  latentPrior: LatentPrior;
  image: ImageShape;
  pixelRange: PixelRange;
  /** Number of real classes; 0 for an unconditional GAN. */
  numClasses: number;
  generatorLayers: LayerSpec[];
  discriminatorLayers: LayerSpec[];
  classNames: string[];
}

export type DType = 'float32' | 'float16' | 'int8';

export interface CheckpointTensor {
  name: string;
  /** Row-major dimensions; empty for a scalar. */
  shape: number[];
  dtype: DType;
  /** Raw little-endian values: product(shape) × item size bytes. */
  data: Uint8Array;
  /** int8 only: one scale per tensor, or one per index of `quantAxis`. Empty otherwise. */
  scale: number[];
  /** int8 only: the axis with its own scale (per-channel quantization). */
  quantAxis?: number;
}

export interface OptimizerState {
  /** 'generator' or 'discriminator'. */
  network: string;
  /** 'adam', 'sgd' or 'momentum'. */
  kind: string;
  iterations: number;
  hyper: Record<string, number>;
  /** Slot variables named `<variable>/<slot>`, e.g. `dense_1/kernel/m`. */
  slots: CheckpointTensor[];
}

export interface RngState {
  algorithm: string;
  words: number[];
}

export interface DataPosition {
  dataset: string;
  split: string;
  shuffleSeed: number;
  epoch: number;
  nextIndex: number;
}

export interface TrainingState {
  step: number;
  epoch: number;
  optimizers: OptimizerState[];
  rng?: RngState;
  data?: DataPosition;
  configJson: string;
  extra: CheckpointTensor[];
}

export interface Provenance {
  /** RFC 3339. */
  createdAt: string;
  forgerVersion: string;
  backend: string;
  dataset: string;
  metrics: Record<string, number>;
  note: string;
}

export interface Checkpoint {
  spec: ModelSpec;
  generator: CheckpointTensor[];
  discriminator: CheckpointTensor[];
  training?: TrainingState;
  provenance: Provenance;
}

/** Bounds checked on decode before anything is allocated (untrusted input). */
export interface CheckpointLimits {
  /** Whole file, envelope included. */
  maxFileBytes: number;
  /** Tensors per network, and per optimizer / extra list. */
  maxTensorsPerNetwork: number;
  maxRank: number;
  maxTensorElements: number;
  /** Tensor, layer and class names. */
  maxNameLength: number;
}
