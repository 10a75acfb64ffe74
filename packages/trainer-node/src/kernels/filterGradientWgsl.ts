import { backend_util, env, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../gpu/computeDispatch.js';
import type { TensorMaker } from '../optimizers/kernels/hostArrays.js';

/**
 * Which filter gradient the webgpu backend runs: `direct` (this file, the default: one split-K WGSL program
 * and one reduction) or `composite` (pad, transpose, tfjs's forward conv with dilation = stride, slice,
 * transpose: five dispatches, see Conv2DBackpropFilter.ts). Set with
 * `tf.env().set(FILTER_GRADIENT_FLAG, 'composite')` or the environment variable
 * FORGER_WEBGPU_FILTER_GRADIENT=composite; `pnpm bench:gpu` times both.
 *
 * Why direct by default, before an NVIDIA figure exists: the composite's forward conv parallelises over
 * outputs only (issue 7 measured 61 ms for a batch-256 iteration's filter gradients on an H100), this one
 * also over batch slices; it takes 13 fewer dispatches per DCGAN iteration; and on SwiftShader it is 1.7×
 * faster (keras-dcgan's four filter gradients at batch 2: 1.23 s against 2.05 s).
 */
export const FILTER_GRADIENT_FLAG = 'FORGER_WEBGPU_FILTER_GRADIENT';
export type FilterGradientRoute = 'composite' | 'direct';

env().registerFlag(FILTER_GRADIENT_FLAG, () => (process.env[FILTER_GRADIENT_FLAG] === 'composite' ? 'composite' : 'direct'), (value) => {
  if (value !== 'composite' && value !== 'direct') throw new Error(`${FILTER_GRADIENT_FLAG} must be "composite" or "direct", got ${JSON.stringify(value)}`);
});

export function filterGradientRoute(): FilterGradientRoute {
  // tfjs stores a flag's value before its check throws: an invalid one reads as the default.
  return env().get(FILTER_GRADIENT_FLAG) === 'composite' ? 'composite' : 'direct';
}

/** Outputs per thread along the filter rows (kh, kw, ci) and along the output channels. */
const ROWS_PER_THREAD = 4;
/** Aim for this many workgroups: enough to fill a large GPU (an H100 has 132 SMs) through split-K. */
const TARGET_WORKGROUPS = 2048;
/** Cap on the partial sums buffer (floats): 16 M = 64 MB. */
const MAX_PARTIAL_FLOATS = 16 * 1024 * 1024;

interface Tiling {
  colsPerThread: number;
  threadsX: number;
  threadsY: number;
  tilesX: number;
  tilesY: number;
  splits: number;
  imagesPerSplit: number;
}

/**
 * The work split. dW is a [P = KH·KW·Ci, Co] matrix product over R = B·OH·OW: keras-dcgan's filter
 * gradients have P·Co from 1,600 to 204,800 outputs but R up to 400 k, and tfjs's conv (the composite)
 * parallelises over outputs only, so its small cases run on a handful of workgroups. Here each
 * workgroup also takes a slice of the batch (split-K); a second program sums the slices.
 */
function tilingOf(info: backend_util.Conv2DInfo): Tiling {
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = info.outChannels;
  const colsPerThread = Math.min(4, cols);
  const threadsX = Math.min(16, Math.ceil(cols / colsPerThread));
  const threadsY = Math.floor(256 / threadsX);
  const tilesX = Math.ceil(cols / (threadsX * colsPerThread));
  const tilesY = Math.ceil(rows / (threadsY * ROWS_PER_THREAD));
  const wanted = Math.ceil(TARGET_WORKGROUPS / (tilesX * tilesY));
  const affordable = Math.max(1, Math.floor(MAX_PARTIAL_FLOATS / (rows * cols)));
  const imagesPerSplit = Math.ceil(info.batchSize / Math.max(1, Math.min(wanted, affordable, info.batchSize)));
  return { colsPerThread, threadsX, threadsY, tilesX, tilesY, splits: Math.ceil(info.batchSize / imagesPerSplit), imagesPerSplit };
}

function partialSumsWgsl(t: Tiling): string {
  const R = ROWS_PER_THREAD;
  const C = t.colsPerThread;
  return `
struct Geometry {
  inHeight: i32, inWidth: i32, inChannels: i32, outHeight: i32, outWidth: i32, outChannels: i32,
  filterWidth: i32, strideHeight: i32, strideWidth: i32, padTop: i32, padLeft: i32,
  rows: i32, batch: i32, imagesPerSplit: i32,
}
${storageBindingsWgsl(['x', 'dy'], ['partial'], { name: 'g', type: 'Geometry' })}

@compute @workgroup_size(${t.threadsX}, ${t.threadsY}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col0 = i32(gid.x) * ${C};
  let row0 = i32(gid.y) * ${R};
  let split = i32(gid.z);
  if (col0 >= g.outChannels || row0 >= g.rows) { return; }
  // Row p of dW is (kh, kw, ci) with p = (kh·KW + kw)·Ci + ci.
  var kh: array<i32, ${R}>;
  var kw: array<i32, ${R}>;
  var ci: array<i32, ${R}>;
  for (var i = 0; i < ${R}; i++) {
    let p = min(row0 + i, g.rows - 1);
    ci[i] = p % g.inChannels;
    let tap = p / g.inChannels;
    kw[i] = tap % g.filterWidth;
    kh[i] = tap / g.filterWidth;
  }
  var acc: array<f32, ${R * C}>;
  var d: array<f32, ${C}>;
  let cols = min(${C}, g.outChannels - col0);
  let first = split * g.imagesPerSplit;
  let last = min(g.batch, first + g.imagesPerSplit);
  for (var n = first; n < last; n++) {
    for (var oy = 0; oy < g.outHeight; oy++) {
      for (var ox = 0; ox < g.outWidth; ox++) {
        let dyAt = ((n * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + col0;
        for (var j = 0; j < ${C}; j++) {
          d[j] = 0.0;
          if (j < cols) { d[j] = dy[dyAt + j]; }
        }
        for (var i = 0; i < ${R}; i++) {
          let iy = oy * g.strideHeight + kh[i] - g.padTop;
          let ix = ox * g.strideWidth + kw[i] - g.padLeft;
          if (iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth) {
            let xv = x[((n * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + ci[i]];
            for (var j = 0; j < ${C}; j++) { acc[i * ${C} + j] += xv * d[j]; }
          }
        }
      }
    }
  }
  for (var i = 0; i < ${R}; i++) {
    let p = row0 + i;
    if (p < g.rows) {
      for (var j = 0; j < cols; j++) {
        partial[(split * g.rows + p) * g.outChannels + col0 + j] = acc[i * ${C} + j];
      }
    }
  }
}`;
}

const sumSplitsWgsl = `
struct Sizes { outputs: u32, splits: u32 }
${storageBindingsWgsl(['partial'], ['dw'], { name: 'u', type: 'Sizes' })}
${elementwiseMainWgsl('u.outputs', `  var sum = 0.0;
  for (var s = 0u; s < u.splits; s++) { sum += partial[s * u.outputs + i]; }
  dw[i] = sum;`)}`;

/**
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh − padTop, ow·s + kw − padLeft, ci] · dy[b,oh,ow,co]
 * (NHWC, dilation 1) as one WGSL program over (output tiles × batch slices) plus one that sums the
 * slices: two dispatches where the composite takes five.
 */
export function filterGradientWgsl(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const maker = backend as TensorMaker;
  const t = tilingOf(info);
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const outputs = rows * info.outChannels;
  const dw = maker.makeTensorInfo([info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], 'float32');
  const partial = t.splits === 1 ? dw : maker.makeTensorInfo([t.splits, rows, info.outChannels], 'float32');
  recordComputeDispatch(backend, {
    name: 'FilterGradientPartialSumsProgram',
    code: partialSumsWgsl(t),
    reads: [x, dy],
    writes: [partial],
    uniforms: [info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
      info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
      rows, info.batchSize, t.imagesPerSplit].map((v) => ({ type: 'int32' as const, data: [v] })),
    workgroups: [t.tilesX, t.tilesY, t.splits],
  });
  if (partial === dw) return dw;
  recordComputeDispatch(backend, {
    name: 'FilterGradientSumSplitsProgram',
    code: sumSplitsWgsl,
    reads: [partial],
    writes: [dw],
    uniforms: [{ type: 'uint32', data: [outputs] }, { type: 'uint32', data: [t.splits] }],
    threads: outputs,
  });
  // Released at the next submit: the queue still uses it (tfjs-backend-webgpu's own bookkeeping).
  backend.disposeData(partial.dataId);
  return dw;
}
