import * as tf from '@tensorflow/tfjs-core';
import { activationGradient } from './activation-gradient.js';
import { channelSum } from './channel-sum.js';

/**
 * Activations fused into a product's kernel: those whose gradient is a mask on the output (leaky ReLU with a
 * positive slope, so that y > 0 exactly where x > 0). Spelled as the backends' fused kernels spell them.
 */
export type FusedActivation = { kind: 'linear' } | { kind: 'relu' } | { kind: 'leakyrelu'; slope: number };

/** The fused form of a layer's activation, or undefined when it must run as a kernel of its own (tanh, sigmoid, …). */
export function fusedActivationOf(activation: string, slope: number): FusedActivation | undefined {
  if (activation === 'linear' || activation === 'relu') return { kind: activation };
  if (activation === 'leaky_relu' && slope > 0) return { kind: 'leakyrelu', slope };
  return undefined;
}

function activationAttrs(a: FusedActivation): { activation: string; leakyreluAlpha: number | undefined } {
  return { activation: a.kind, leakyreluAlpha: a.kind === 'leakyrelu' ? a.slope : undefined };
}

/**
 * Convolution (NHWC, dilation 1) plus bias and activation as the backends' one FusedConv2D kernel: on a GPU
 * every kernel is a dispatch (issue 7), and Forger runs a convolution layer four times per DCGAN iteration.
 *
 * Not tf.fused.conv2d: its gradient is a tf.customGrad, which computes every input's gradient whether the
 * step needs it or not, so the generator's step would also compute the frozen discriminator's filter
 * gradients (the costliest kernel of an iteration). The gradient registered here, the tfjs way, gives each
 * input its own function, and the tape calls only those on a path to the variables being trained.
 */
export function convolveWithBias(
  x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor | undefined, strides: number, pad: 'same' | 'valid', activation: FusedActivation,
): tf.Tensor4D {
  registerFusedGradients();
  const attrs = { strides: [strides, strides], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, ...activationAttrs(activation) };
  return tf.engine().runKernel(tf.FusedConv2D, bias ? { x, filter, bias } : { x, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** x·w + bias, then the activation, as the backends' one _FusedMatMul kernel (see convolveWithBias for why not tf.fused). */
export function multiplyWithBias(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | undefined, activation: FusedActivation): tf.Tensor2D {
  registerFusedGradients();
  const attrs = { transposeA: false, transposeB: false, ...activationAttrs(activation) };
  // The backends' batched-product kernels take rank-3 operands (tfjs's own ops reshape before calling them;
  // wasm reads out of bounds on rank 2).
  const a = tf.reshape(x, [1, ...x.shape]);
  const b = tf.reshape(w, [1, ...w.shape]);
  const y = tf.engine().runKernel(tf._FusedMatMul, bias ? { a, b, bias } : { a, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
  return tf.reshape(y, [x.shape[0], w.shape[1]]);
}

/** dy through the fused activation (the kernel's attributes), from the kernel's output y. */
function throughActivation(dy: tf.Tensor, y: tf.Tensor, attrs: { activation: string; leakyreluAlpha?: number }): tf.Tensor {
  if (attrs.activation === 'relu') return activationGradient(dy, y, { kind: 'relu' });
  if (attrs.activation === 'leakyrelu') return activationGradient(dy, y, { kind: 'leakyrelu', slope: attrs.leakyreluAlpha! });
  return dy;
}

let registered = false;

/** Registered on first use, not on import: @forger/models has no import side effects. */
function registerFusedGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.FusedConv2D,
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
  tf.registerGradient({
    kernelName: tf._FusedMatMul,
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
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
