import type * as tf from '@tensorflow/tfjs-core';
import type { LayerKind, LayerSpec, Rng } from '@forger/core';

/** How a parameter starts before training (Keras defaults). */
export type Initializer =
  | { kind: 'glorot-uniform'; fanIn: number; fanOut: number }
  | { kind: 'normal'; std: number }
  | { kind: 'zeros' }
  | { kind: 'ones' };

/** One tensor a layer owns, named `<layer>/<param>` in checkpoints. */
export interface ParameterSpec {
  param: string;
  shape: number[];
  init: Initializer;
  /** Batch-norm moving statistics are state, not trained by gradients. */
  trainable: boolean;
}

export interface LayerContext {
  training: boolean;
  /** Batch-norm moving statistics are updated only when this is true (training mode, once per step). */
  updateStatistics: boolean;
  /** Source of dropout masks and Gaussian noise in training mode. */
  rng: Rng | undefined;
  /**
   * Replaces each batch-norm layer's own momentum for this pass (Network.estimateBatchNormStatistics: k/(k+1) on
   * the k-th of several batches makes the moving statistics their plain mean).
   */
  statisticsMomentum?: number;
}

/**
 * One layer kind: its parameters and output shape from the input shape
 * (batch axis excluded), and its forward pass. One file per kind, listed in
 * registry.ts.
 */
export interface LayerKernel {
  kind: LayerKind;
  parameters(spec: LayerSpec, inputShape: number[]): ParameterSpec[];
  outputShape(spec: LayerSpec, inputShape: number[]): number[];
  apply(x: tf.Tensor, spec: LayerSpec, params: Record<string, tf.Variable>, ctx: LayerContext): tf.Tensor;
  /**
   * Data-dependent initialisation: sets this layer's parameters from a batch
   * that reaches it and returns the output with the new parameters, or
   * `undefined` when this layer (as specified) has nothing to initialise.
   */
  initializeFromData?(x: tf.Tensor, spec: LayerSpec, params: Record<string, tf.Variable>, ctx: LayerContext): tf.Tensor | undefined;
}
