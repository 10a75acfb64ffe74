import { backend_util, type Conv2DAttrs, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import type { GemmOperand } from '../webgpu/implicit-gemm.js';
import { recordGemm } from '../webgpu/implicit-gemm.js';
import { convolutionByTaps, filterGradientByTaps, inputGradientByTaps, takesTapRoute } from './convolution-taps.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';

/**
 * Forger's WGSL convolutions on webgpu, all three as one matrix-product engine (gpu/implicit-gemm.ts) with
 * the convolution read straight out of NHWC tensors:
 * - forward: y[(b,oy,ox), co] = Σ_(kh,kw,ci) x[b, oy·sh + kh·dh − padTop, ox·sw + kw·dw − padLeft, ci] · W[(kh,kw,ci), co],
 *   then bias and activation in the same program (tanh and sigmoid included: tfjs's FusedConv2D has neither,
 *   and keras-dcgan ends every convolution in tanh);
 * - input gradient: dx[(b,y,x), ci] = Σ_(kh,kw,co) dy[b, (y + padTop − kh·dh)/sh, …, co] · W[kh,kw,ci,co] over
 *   the terms where the division is exact (a gather: no flipped or transposed filter copy);
 * - filter gradient: dW[(kh,kw,ci), co] = Σ_(b,oy,ox) x[…] · dy[b,oy,ox,co], split over the batch (split-K).
 * A stride-1 convolution with at most 4 channels on one side goes the tap route instead (convolution-taps.ts).
 *
 * The routes between these and tfjs's own kernels: webgpu-conv-routes.ts.
 */

/** Activations the forward program applies after the bias (the spelling of tfjs's fused kernels). */
export type ConvActivation = { kind: 'linear' | 'relu' | 'tanh' | 'sigmoid' } | { kind: 'leakyrelu'; slope: number };

/** The activation named by fused-kernel attributes, or undefined for one the program does not compute (elu, relu6, prelu). */
export function convActivationOf(activation: string | undefined, leakyreluAlpha: number | undefined): ConvActivation | undefined {
  switch (activation ?? 'linear') {
    case 'linear': case 'relu': case 'tanh': case 'sigmoid': return { kind: (activation ?? 'linear') as 'linear' };
    case 'leakyrelu': return { kind: 'leakyrelu', slope: leakyreluAlpha ?? 0.2 };
    default: return undefined;
  }
}

/** WGSL of `v` through the activation. tanh as tfjs-backend-webgpu writes it: exp(2|v|) would overflow to inf/inf. */
export function activationWgsl(a: ConvActivation, v: string): string {
  switch (a.kind) {
    case 'linear': return v;
    case 'relu': return `max(${v}, 0.0)`;
    case 'leakyrelu': return `select(f32(${a.slope}) * ${v}, ${v}, ${v} > 0.0)`;
    case 'sigmoid': return `(1.0 / (1.0 + exp(-${v})))`;
    case 'tanh': return `(sign(${v}) * (1.0 - exp(-2.0 * abs(${v}))) / (1.0 + exp(-2.0 * abs(${v}))))`;
  }
}

/** The geometry of a forward convolution from its kernel's inputs and attributes (Conv2D's, FusedConv2D's). */
export function forwardConvInfo(x: TensorInfo, filter: TensorInfo, attrs: Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dilations' | 'dimRoundingMode'>): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'));
}

/** The GEMM epilogue of a fused product: v (+ bias[n]), then the activation. */
export function biasActivationWgsl(withBias: boolean, a: ConvActivation): string {
  return `  let z = ${withBias ? 'v + bias[n]' : 'v'};\n  return ${activationWgsl(a, 'z')};`;
}

/** The convolution's sizes as WGSL constants, read by the operands below by name. */
function geometryOf(info: backend_util.Conv2DInfo): Array<[string, number]> {
  return [
    ['inHeight', info.inHeight], ['inWidth', info.inWidth], ['inChannels', info.inChannels],
    ['outHeight', info.outHeight], ['outWidth', info.outWidth], ['outChannels', info.outChannels],
    ['filterHeight', info.filterHeight], ['filterWidth', info.filterWidth], ['strideHeight', info.strideHeight], ['strideWidth', info.strideWidth],
    ['dilationHeight', info.dilationHeight], ['dilationWidth', info.dilationWidth],
    ['padTop', info.padInfo.top], ['padLeft', info.padInfo.left],
  ];
}

/** A pixel index of an [·, height, width] grid as (image, row, column). */
const pixelOf = (index: string, height: string, width: string) => `
  let column = ${index} % ${width};
  let rest = ${index} / ${width};
  let row = rest % ${height};
  let image = rest / ${height};`;

/** A filter row index (kh·KW + kw)·C + c as (kh, kw, c). */
const tapOf = (index: string, channels: string) => `
  let channel = ${index} % ${channels};
  let tap = ${index} / ${channels};
  let kw = tap % filterWidth;
  let kh = tap / filterWidth;`;

function checkLayout(kernel: string, info: backend_util.Conv2DInfo): void {
  if (info.dataFormat !== 'channelsLast') {
    throw new KernelError('unsupported-layout', `${kernel} on webgpu: dataFormat "${info.dataFormat}" is not supported; Forger's networks are NHWC`);
  }
}

/** y = act(conv(x, W) + bias), [B, OH, OW, Co]. */
export function convolutionWgsl(backend: KernelBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, info: backend_util.Conv2DInfo, activation: ConvActivation): TensorInfo {
  checkLayout('Conv2D', info);
  const name = `ForgerConv2D${activation.kind === 'linear' ? '' : `_${activation.kind}`}`;
  if (takesTapRoute('forward', info)) return convolutionByTaps(backend, x, filter, bias, info, geometryOf(info), biasActivationWgsl(bias !== undefined, activation), name);
  const y = (backend as TensorMaker).makeTensorInfo(info.outShape, 'float32');
  // A row of A is an output pixel, decoded once to where its window starts in x.
  const pixels: GemmOperand = {
    outer: `${pixelOf('o', 'outHeight', 'outWidth')}
  return vec4<i32>(image, row * strideHeight - padTop, column * strideWidth - padLeft, 0);`,
    load: `${tapOf('k', 'inChannels')}
  let iy = o.y + kh * dilationHeight;
  let ix = o.z + kw * dilationWidth;
  if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) { return 0.0; }
  return x[((o.x * inHeight + iy) * inWidth + ix) * inChannels + channel];`,
    contiguous: 'k',
  };
  const weights: GemmOperand = {
    outer: '  return vec4<i32>(o, 0, 0, 0);',
    load: '  return w[k * outChannels + o.x];',
    contiguous: 'outer',
  };
  recordGemm(backend, {
    name,
    m: info.batchSize * info.outHeight * info.outWidth,
    n: info.outChannels,
    k: info.filterHeight * info.filterWidth * info.inChannels,
    a: pixels,
    b: weights,
    reads: bias === undefined ? [['x', x], ['w', filter]] : [['x', x], ['w', filter], ['bias', bias]],
    geometry: geometryOf(info),
    epilogue: biasActivationWgsl(bias !== undefined, activation),
    out: y,
  });
  return y;
}

/** dx of a convolution: [B, H, W, Ci] from dy [B, OH, OW, Co] and W. */
export function inputGradientWgsl(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  checkLayout('Conv2DBackpropInput', info);
  if (takesTapRoute('inputGradient', info)) return inputGradientByTaps(backend, dy, filter, info, geometryOf(info));
  const dx = (backend as TensorMaker).makeTensorInfo(info.inShape, 'float32');
  // A row of A is an input pixel, decoded once to its position in padded coordinates.
  const pixels: GemmOperand = {
    outer: `${pixelOf('o', 'inHeight', 'inWidth')}
  return vec4<i32>(image, row + padTop, column + padLeft, 0);`,
    load: `${tapOf('k', 'outChannels')}
  let ty = o.y - kh * dilationHeight;
  let tx = o.z - kw * dilationWidth;
  if (ty < 0 || tx < 0 || ty % strideHeight != 0 || tx % strideWidth != 0) { return 0.0; }
  let oy = ty / strideHeight;
  let ox = tx / strideWidth;
  if (oy >= outHeight || ox >= outWidth) { return 0.0; }
  return dy[((o.x * outHeight + oy) * outWidth + ox) * outChannels + channel];`,
    contiguous: 'k',
  };
  const weights: GemmOperand = {
    outer: '  return vec4<i32>(o, 0, 0, 0);',
    load: `  let channel = k % outChannels;
  let tap = k / outChannels;
  return w[(tap * inChannels + o.x) * outChannels + channel];`,
    contiguous: 'k',
  };
  recordGemm(backend, {
    name: 'ForgerConv2DBackpropInput',
    m: info.batchSize * info.inHeight * info.inWidth,
    n: info.inChannels,
    k: info.filterHeight * info.filterWidth * info.outChannels,
    a: pixels,
    b: weights,
    reads: [['dy', dy], ['w', filter]],
    geometry: geometryOf(info),
    out: dx,
  });
  return dx;
}

/** dW of a convolution: [KH, KW, Ci, Co] from x and dy, the batch split over workgroups and summed by a second dispatch. */
export function filterGradientGemm(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  checkLayout('Conv2DBackpropFilter', info);
  if (takesTapRoute('filterGradient', info)) return filterGradientByTaps(backend, x, dy, info, geometryOf(info));
  const dw = (backend as TensorMaker).makeTensorInfo([info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], 'float32');
  // A row of A is a filter row (kh, kw, ci), decoded once to its offset in x; k runs over the output pixels.
  const taps: GemmOperand = {
    outer: `${tapOf('o', 'inChannels')}
  return vec4<i32>(kh * dilationHeight - padTop, kw * dilationWidth - padLeft, channel, 0);`,
    load: `${pixelOf('k', 'outHeight', 'outWidth')}
  let iy = row * strideHeight + o.x;
  let ix = column * strideWidth + o.y;
  if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) { return 0.0; }
  return x[((image * inHeight + iy) * inWidth + ix) * inChannels + o.z];`,
    contiguous: 'outer',
  };
  const gradients: GemmOperand = {
    outer: '  return vec4<i32>(o, 0, 0, 0);',
    load: '  return dy[k * outChannels + o.x];',
    contiguous: 'outer',
  };
  recordGemm(backend, {
    name: 'ForgerConv2DBackpropFilter',
    m: info.filterHeight * info.filterWidth * info.inChannels,
    n: info.outChannels,
    k: info.batchSize * info.outHeight * info.outWidth,
    a: taps,
    b: gradients,
    reads: [['x', x], ['dy', dy]],
    geometry: geometryOf(info),
    out: dw,
    splitK: true,
  });
  return dw;
}
