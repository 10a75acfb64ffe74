import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { recordGemm, type GemmOperand } from '../webgpu/implicit-gemm.js';
import { fitsTapRoute } from './single-channel-taps.js';
import type { TensorMaker } from '../backend/tensor-maker.js';

/**
 * A convolution with few channels on one side (keras-dcgan's G conv 2, 64 → 1, and D conv 1's input gradient,
 * one channel) as a matrix product over the many channels into all KH·KW filter taps at once, then a sum of the
 * taps' shifted columns — the webgpu form of the wasm tap route (single-channel-taps.ts).
 *
 * Why: as one implicit GEMM such a convolution has a one-column output, where each element of the other side
 * serves one product only and the engine's tiles sit mostly idle. On an H200 at batch 256 the one-channel GEMMs
 * took 2.1–3.0 ms each (0.2–0.3 TFLOP/s), more than the 64- and 128-channel convolutions; here the product has
 * KH·KW·C columns and a depth of the many channels, and the sum reads a few MB.
 *
 * Forward, C = Co outputs:      Z[(b,iy,ix), (kh,kw,co)] = Σ_ci x[b,iy,ix,ci] · W[kh,kw,ci,co]
 *                               y[b,oy,ox,co] = act(bias[co] + Σ_(kh,kw) Z[(b, oy+kh−padTop, ox+kw−padLeft), (kh,kw,co)])
 * Input gradient, C = Ci:       Z[(b,oy,ox), (kh,kw,ci)] = Σ_co dy[b,oy,ox,co] · W[kh,kw,ci,co]
 *                               dx[b,iy,ix,ci] = Σ_(kh,kw) Z[(b, iy+padTop−kh, ix+padLeft−kw), (kh,kw,ci)]
 * Filter gradient, one output channel: the GEMM over taps × input channels, shifting dy instead of x:
 *                               dW[kh,kw,ci,0] = Σ_(b,iy,ix) dy[b, iy+padTop−kh, ix+padLeft−kw, 0] · x[b,iy,ix,ci]
 * (terms outside the image are zero: the convolution's zero padding).
 */

/** The most channels on the few-channel side, and the fewest on the other, for which the tap route is taken. */
const MAX_FEW_CHANNELS = 4;
const MIN_MANY_CHANNELS = 16;

export type TapRouteSide = 'forward' | 'inputGradient' | 'filterGradient';

/** Whether the tap route serves this convolution for `side` (stride 1, dilation 1, few channels where it needs them). */
export function takesTapRoute(side: TapRouteSide, info: backend_util.Conv2DInfo): boolean {
  if (!fitsTapRoute(info) || info.dilationHeight !== 1 || info.dilationWidth !== 1) return false;
  switch (side) {
    case 'forward': return info.outChannels <= MAX_FEW_CHANNELS && info.inChannels >= MIN_MANY_CHANNELS;
    case 'inputGradient': return info.inChannels <= MAX_FEW_CHANNELS && info.outChannels >= MIN_MANY_CHANNELS;
    case 'filterGradient': return info.outChannels === 1 && info.inChannels >= MIN_MANY_CHANNELS;
  }
}

/** A row-major [rows, depth] matrix read along its rows: A(m, k) = name[m·depth + k]. */
function rowsOf(name: string, depth: string): GemmOperand {
  return { outer: '  return vec4<i32>(o, 0, 0, 0);', load: `  return ${name}[o.x * ${depth} + k];`, contiguous: 'k' };
}

/**
 * The filter as B(k, n) with n = tap·C + c over the few-channel side and k over the many: W[(tap·Ci + ci)·Co + co].
 * `kIsInput`: k runs over the input channels (forward) or the output channels (input gradient).
 */
function filterColumns(kIsInput: boolean): GemmOperand {
  const index = kIsInput
    ? '((o.x / outChannels) * inChannels + k) * outChannels + o.x % outChannels'
    : '((o.x / inChannels) * inChannels + o.x % inChannels) * outChannels + k';
  return { outer: '  return vec4<i32>(o, 0, 0, 0);', load: `  return w[${index}];`, contiguous: 'k' };
}

/** WGSL constants of the geometry (shared names with the shifted sums below). */
function constantsWgsl(geometry: Array<[string, number]>): string {
  return geometry.map(([name, value]) => `const ${name}: i32 = ${value};`).join('\n');
}

/**
 * The entry point of a shifted sum: for each element (image, row, column, c) of the result, Σ over the taps (kh, kw)
 * of Z[(image, row ± (kh − padTop), column ± (kw − padLeft)), (kh, kw, c)], the source pixels outside the image
 * skipped (zero padding). `shift` +1 reads forward (a forward convolution), −1 backward (an input gradient).
 */
function shiftedSumWgsl(o: { pixels: [string, string]; source: [string, string]; channels: string; columns: number; shift: 1 | -1; result: string }): string {
  const [height, width] = o.pixels;
  const [sourceHeight, sourceWidth] = o.source;
  const sign = o.shift === 1 ? '+' : '-';
  return elementwiseMainWgsl('u.outputs', `  let c = i32(i) % ${o.channels};
  let pixel = i32(i) / ${o.channels};
  let column = pixel % ${width};
  let row = (pixel / ${width}) % ${height};
  let image = pixel / (${width} * ${height});
  var sum = 0.0;
  for (var kh = 0; kh < filterHeight; kh++) {
    let sy = row ${sign} (kh - padTop);
    if (sy < 0 || sy >= ${sourceHeight}) { continue; }
    for (var kw = 0; kw < filterWidth; kw++) {
      let sx = column ${sign} (kw - padLeft);
      if (sx < 0 || sx >= ${sourceWidth}) { continue; }
      sum += z[((image * ${sourceHeight} + sy) * ${sourceWidth} + sx) * ${o.columns} + (kh * filterWidth + kw) * ${o.channels} + c];
    }
  }
  out[i] = ${o.result};`);
}

/** y = act(conv(x, W) + bias) for Co ≤ 4 output channels; `epilogue(v, c)` is the bias + activation WGSL of `v`. */
export function convolutionByTaps(backend: KernelBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined,
  info: backend_util.Conv2DInfo, geometry: Array<[string, number]>, epilogue: string, name: string): TensorInfo {
  const maker = backend as TensorMaker;
  const taps = info.filterHeight * info.filterWidth;
  const columns = taps * info.outChannels;
  const z = maker.makeTensorInfo([info.batchSize * info.inHeight * info.inWidth, columns], 'float32');
  recordGemm(backend, {
    name: `${name}Taps`,
    m: info.batchSize * info.inHeight * info.inWidth, n: columns, k: info.inChannels,
    a: rowsOf('x', 'inChannels'), b: filterColumns(true),
    reads: [['x', x], ['w', filter]], geometry, out: z,
  });
  const y = maker.makeTensorInfo(info.outShape, 'float32');
  const reads = bias === undefined ? [z] : [z, bias];
  recordComputeDispatch(backend, {
    name: `${name}SumTaps`,
    code: `
struct Sizes { outputs: u32 }
${storageBindingsWgsl(bias === undefined ? ['z'] : ['z', 'bias'], ['out'], { name: 'u', type: 'Sizes' })}
${constantsWgsl(geometry)}
fn epilogue(v: f32, n: i32) -> f32 {
${epilogue}
}
${shiftedSumWgsl({ pixels: ['outHeight', 'outWidth'], source: ['inHeight', 'inWidth'], channels: 'outChannels', columns, shift: 1, result: 'epilogue(sum, c)' })}`,
    reads, writes: [y],
    uniforms: [{ type: 'uint32', data: [y.shape.reduce((a, b) => a * b, 1)] }],
    threads: y.shape.reduce((a, b) => a * b, 1),
  });
  // Released once the queue has run (tfjs-backend-webgpu's bookkeeping of buffers in flight).
  backend.disposeData(z.dataId);
  return y;
}

/** dx for Ci ≤ 4 input channels. */
export function inputGradientByTaps(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo,
  geometry: Array<[string, number]>): TensorInfo {
  const maker = backend as TensorMaker;
  const taps = info.filterHeight * info.filterWidth;
  const columns = taps * info.inChannels;
  const z = maker.makeTensorInfo([info.batchSize * info.outHeight * info.outWidth, columns], 'float32');
  recordGemm(backend, {
    name: 'ForgerConv2DBackpropInputTaps',
    m: info.batchSize * info.outHeight * info.outWidth, n: columns, k: info.outChannels,
    a: rowsOf('dy', 'outChannels'), b: filterColumns(false),
    reads: [['dy', dy], ['w', filter]], geometry, out: z,
  });
  const dx = maker.makeTensorInfo(info.inShape, 'float32');
  const size = dx.shape.reduce((a, b) => a * b, 1);
  recordComputeDispatch(backend, {
    name: 'ForgerConv2DBackpropInputSumTaps',
    code: `
struct Sizes { outputs: u32 }
${storageBindingsWgsl(['z'], ['out'], { name: 'u', type: 'Sizes' })}
${constantsWgsl(geometry)}
${shiftedSumWgsl({ pixels: ['inHeight', 'inWidth'], source: ['outHeight', 'outWidth'], channels: 'inChannels', columns, shift: -1, result: 'sum' })}`,
    reads: [z], writes: [dx],
    uniforms: [{ type: 'uint32', data: [size] }],
    threads: size,
  });
  backend.disposeData(z.dataId);
  return dx;
}

/** dW [KH, KW, Ci, 1] for one output channel: C[(kh,kw), ci], split along the pixels like every filter gradient. */
export function filterGradientByTaps(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo,
  geometry: Array<[string, number]>): TensorInfo {
  const dw = (backend as TensorMaker).makeTensorInfo([info.filterHeight, info.filterWidth, info.inChannels, 1], 'float32');
  // A row of A is a tap, decoded once; k runs over the input pixels (b, iy, ix) and reads dy shifted by the tap.
  const shiftedGradients: GemmOperand = {
    outer: `  let kw = o % filterWidth;
  let kh = o / filterWidth;
  return vec4<i32>(padTop - kh, padLeft - kw, 0, 0);`,
    load: `  let ix = k % inWidth;
  let rest = k / inWidth;
  let iy = rest % inHeight;
  let image = rest / inHeight;
  let oy = iy + o.x;
  let ox = ix + o.y;
  if (oy < 0 || oy >= outHeight || ox < 0 || ox >= outWidth) { return 0.0; }
  return dy[(image * outHeight + oy) * outWidth + ox];`,
    contiguous: 'k',
  };
  const inputs: GemmOperand = { outer: '  return vec4<i32>(o, 0, 0, 0);', load: '  return x[k * inChannels + o.x];', contiguous: 'outer' };
  recordGemm(backend, {
    name: 'ForgerConv2DBackpropFilterTaps',
    m: info.filterHeight * info.filterWidth, n: info.inChannels, k: info.batchSize * info.inHeight * info.inWidth,
    a: shiftedGradients, b: inputs,
    reads: [['x', x], ['dy', dy]], geometry, out: dw, splitK: true,
  });
  return dw;
}
