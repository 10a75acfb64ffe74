import * as tf from '@tensorflow/tfjs-core';
import { activateWithOutputGradient, activationGradient, type OutputDifferentiable } from './activation-gradient.js';
import { channelSum } from './channel-sum.js';
import { CONV_KERNEL, hasForgerKernel, MATMUL_KERNEL } from './forger-kernels.js';

/**
 * Activations that may run inside a product's kernel: those whose gradient follows from the output alone
 * (leaky ReLU with a positive slope, so that y > 0 exactly where x > 0). Spelled as the backends' fused
 * kernels spell them.
 */
export type FusedActivation = { kind: 'linear' } | OutputDifferentiable;

/** The fused form of a layer's activation, or undefined when it must run as a kernel of its own (softplus, …). */
export function fusedActivationOf(activation: string, slope: number): FusedActivation | undefined {
  if (activation === 'linear' || activation === 'relu' || activation === 'tanh' || activation === 'sigmoid') return { kind: activation };
  if (activation === 'leaky_relu' && slope > 0) return { kind: 'leakyrelu', slope };
  return undefined;
}

/** Whether tfjs's own fused kernels (FusedConv2D, _FusedMatMul) compute this activation: not tanh, not sigmoid. */
function backendFuses(a: FusedActivation): boolean {
  return a.kind === 'linear' || a.kind === 'relu' || a.kind === 'leakyrelu';
}

function activationAttrs(a: FusedActivation): { activation: string; leakyreluAlpha: number | undefined } {
  return { activation: a.kind, leakyreluAlpha: a.kind === 'leakyrelu' ? a.slope : undefined };
}

/** y, or y through the activation when the kernel that made it could not apply it. */
function finish<T extends tf.Tensor>(y: T, activation: FusedActivation, fusedInKernel: boolean): T {
  return fusedInKernel || activation.kind === 'linear' ? y : (activateWithOutputGradient(y, activation) as T);
}

/**
 * Convolution (NHWC, dilation 1) plus bias and activation in one kernel: on a GPU every kernel is a dispatch
 * (issue 7), and Forger runs a convolution layer four times per DCGAN iteration. Forger's CONV_KERNEL where
 * the backend registers it (every activation); else the backends' FusedConv2D, with tanh and sigmoid as a
 * kernel of their own after it.
 *
 * Not tf.fused.conv2d: its gradient is a tf.customGrad, which computes every input's gradient whether the
 * step needs it or not, so the generator's step would also compute the frozen discriminator's filter
 * gradients (the costliest kernel of an iteration). The gradients registered here, the tfjs way, give each
 * input its own function, and the tape calls only those on a path to the variables being trained.
 */
export function convolveWithBias(
  x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor | undefined, strides: number, pad: 'same' | 'valid', activation: FusedActivation,
): tf.Tensor4D {
  registerFusedGradients();
  const own = hasForgerKernel(CONV_KERNEL);
  const inKernel = own || backendFuses(activation);
  const attrs = { strides: [strides, strides], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, ...activationAttrs(inKernel ? activation : { kind: 'linear' }) };
  const y = tf.engine().runKernel(own ? CONV_KERNEL : tf.FusedConv2D, bias ? { x, filter, bias } : { x, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  return finish(y, activation, inKernel);
}

/** x·w + bias, then the activation, in one kernel where the backend can (see convolveWithBias for which and why not tf.fused). */
export function multiplyWithBias(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | undefined, activation: FusedActivation): tf.Tensor2D {
  registerFusedGradients();
  if (hasForgerKernel(MATMUL_KERNEL)) {
    return tf.engine().runKernel(MATMUL_KERNEL, bias ? { a: x, b: w, bias } : { a: x, b: w }, activationAttrs(activation) as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  const inKernel = backendFuses(activation);
  const attrs = { transposeA: false, transposeB: false, ...activationAttrs(inKernel ? activation : { kind: 'linear' }) };
  // The backends' batched-product kernels take rank-3 operands (tfjs's own ops reshape before calling them;
  // wasm reads out of bounds on rank 2).
  const a = tf.reshape(x, [1, ...x.shape]);
  const b = tf.reshape(w, [1, ...w.shape]);
  const y = tf.engine().runKernel(tf._FusedMatMul, bias ? { a, b, bias } : { a, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
  return finish(tf.reshape(y, [x.shape[0], w.shape[1]]), activation, inKernel);
}

/** dy through the fused activation (the kernel's attributes), from the kernel's output y. */
function throughActivation(dy: tf.Tensor, y: tf.Tensor, attrs: { activation: string; leakyreluAlpha?: number }): tf.Tensor {
  switch (attrs.activation) {
    case 'relu': case 'tanh': case 'sigmoid': return activationGradient(dy, y, { kind: attrs.activation });
    case 'leakyrelu': return activationGradient(dy, y, { kind: 'leakyrelu', slope: attrs.leakyreluAlpha! });
    default: return dy;
  }
}

let registered = false;

/**
 * Registered on first use, not on import: @forger/models has no import side effects. tfjs's FusedConv2D and
 * Forger's CONV_KERNEL share one gradient, as do _FusedMatMul and MATMUL_KERNEL (the same inputs and attributes).
 */
function registerFusedGradients(): void {
  if (registered) return;
  registered = true;
  for (const kernelName of [tf.FusedConv2D, CONV_KERNEL]) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x', 'filter'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.FusedConv2DAttrs;
        const dz = throughActivation(dy as tf.Tensor, y, attrs as unknown as tf.FusedConv2DAttrs);
        const geometry = { strides, pad, dataFormat, dimRoundingMode } as unknown as tf.NamedAttrMap;
        return {
          x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dz, filter }, { ...geometry, inputShape: x.shape }) as tf.Tensor,
          filter: () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dz }, { ...geometry, filterShape: filter.shape }) as tf.Tensor,
          bias: () => channelSum(dz),
        };
      },
    });
  }
  for (const kernelName of [tf._FusedMatMul, MATMUL_KERNEL]) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        // Rank 3 for _FusedMatMul (a batch of one), rank 2 for MATMUL_KERNEL: tf.matMul takes either.
        const [a, b, y] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
        const dz = throughActivation(dy as tf.Tensor, y, attrs as unknown as tf._FusedMatMulAttrs) as tf.Tensor3D;
        return {
          a: () => tf.matMul(dz, b, false, true),
          b: () => tf.matMul(a, dz, true, false),
          bias: () => channelSum(dz),
        };
      },
    });
  }
}
