import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { recordGemm, type GemmOperand } from '../webgpu/implicit-gemm.js';
import { biasActivationWgsl, type ConvActivation } from './convolution-gemm.js';
import type { TensorMaker } from '../backend/tensor-maker.js';

export interface ProductOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: TensorInfo;
  activation?: ConvActivation;
}

/**
 * C = op(A)·op(B) (+ bias, then the activation) for one pair of row-major matrices, on the engine of the
 * convolutions (gpu/implicit-gemm.ts): a dense layer's forward product (ForgerMatMul.ts) and its two gradients,
 * dz·Wᵀ and xᵀ·dz (BatchMatMul.ts). A transposed operand is read transposed, not copied. The sizes are uniforms
 * (no division decodes an index here), so one program serves every batch size. `outShape` holds M·N elements.
 */
export function matrixProductWgsl(backend: KernelBackend, a: TensorInfo, b: TensorInfo, outShape: number[], o: ProductOptions = {}): TensorInfo {
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = o.transposeA ? aCols : aRows;
  const k = o.transposeA ? aRows : aCols;
  const n = o.transposeB ? bRows : bCols;
  // A is [M, K] (or [K, M] transposed), B is [K, N] (or [N, K]).
  const left: GemmOperand = o.transposeA
    ? { outer: '  return vec4<i32>(o, 0, 0, 0);', load: '  return a[k * g.m + o.x];', contiguous: 'outer' }
    : { outer: '  return vec4<i32>(o, 0, 0, 0);', load: '  return a[o.x * g.k + k];', contiguous: 'k' };
  const right: GemmOperand = o.transposeB
    ? { outer: '  return vec4<i32>(o, 0, 0, 0);', load: '  return b[o.x * g.k + k];', contiguous: 'k' }
    : { outer: '  return vec4<i32>(o, 0, 0, 0);', load: '  return b[k * g.n + o.x];', contiguous: 'outer' };
  const activation = o.activation ?? { kind: 'linear' };
  const fused = o.bias !== undefined || activation.kind !== 'linear';
  const y = (backend as TensorMaker).makeTensorInfo(outShape, 'float32');
  recordGemm(backend, {
    name: `ForgerMatMul${o.transposeA ? '_tA' : ''}${o.transposeB ? '_tB' : ''}${activation.kind === 'linear' ? '' : `_${activation.kind}`}`,
    m, n, k,
    a: left,
    b: right,
    reads: o.bias === undefined ? [['a', a], ['b', b]] : [['a', a], ['b', b], ['bias', o.bias]],
    geometry: [],
    ...(fused ? { epilogue: biasActivationWgsl(o.bias !== undefined, activation) } : { splitK: true }),
    out: y,
  });
  return y;
}
