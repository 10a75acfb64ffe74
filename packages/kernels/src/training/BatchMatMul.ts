import { BatchMatMul, type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import { matrixProductWgsl } from './matrix-product-gemm.js';
import { convRoute } from './webgpu-conv-routes.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * On webgpu, one pair of matrices goes to Forger's WGSL product (matrix-product-gemm.ts), which reads a transposed
 * operand in place; FORGER_WEBGPU_CONV=tfjs and batched products: tfjs's own.
 *
 * On wasm, matrix product with transposes made explicit. tfjs-backend-wasm 4.22 sends only the untransposed
 * product to XNNPACK (≈35 GFLOP/s on one thread); with `transposeA` or `transposeB` set — which is
 * every gradient of a dense layer — it runs a loop at 1–3.5 GFLOP/s. A transpose costs one pass over
 * memory, so transposing whichever operands are smallest and running the fast product wins by 10×.
 *
 * For C = A·Bᵀ either Bᵀ is materialised, or Cᵀ = B·Aᵀ is computed and transposed back; likewise for
 * Aᵀ·B and Aᵀ·Bᵀ. The cheaper plan is the one that moves fewer elements.
 */
function batchMatMulComposite(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const a = inputs['a'] as TensorInfo;
    const b = inputs['b'] as TensorInfo;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const k = new BackendKernels(backend as KernelBackend, backendName);
    if (backendName === 'webgpu') {
      // One pair of matrices (a dense layer's gradients: dz·Wᵀ, xᵀ·dz) on Forger's engine, transposes read in place.
      const single = util.sizeFromShape(a.shape.slice(0, -2)) === 1 && util.sizeFromShape(b.shape.slice(0, -2)) === 1;
      if (convRoute() === 'tfjs' || !single) return k.run(BatchMatMul, { a, b }, attrs, true);
      const rows = transposeA ? a.shape[a.shape.length - 1]! : a.shape[a.shape.length - 2]!;
      const cols = transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
      const batchShape = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
      return matrixProductWgsl(backend as KernelBackend, a, b, [...batchShape, rows, cols], { transposeA, transposeB });
    }
    if (!transposeA && !transposeB) return k.run(BatchMatMul, { a, b }, attrs, true);
    try {
      const rankA = a.shape.length;
      const rankB = b.shape.length;
      const swapLast = (rank: number) => [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const sizeA = util.sizeFromShape(a.shape);
      const sizeB = util.sizeFromShape(b.shape);
      const rowsC = transposeA ? a.shape[rankA - 1]! : a.shape[rankA - 2]!;
      const colsC = transposeB ? b.shape[rankB - 2]! : b.shape[rankB - 1]!;
      const batchC = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
      const sizeC = batchC * rowsC * colsC;
      const plain = { transposeA: false, transposeB: false };

      // Plan 1: materialise the transposed operands. Plan 2: compute Cᵀ = op(B)ᵀ·op(A)ᵀ, transpose it.
      // In plan 2 an operand that was transposed is used as it is, one that was not must be transposed.
      const cost1 = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0);
      const cost2 = (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + sizeC;
      let c: TensorInfo;
      if (cost1 <= cost2) {
        const opA = transposeA ? k.transpose(a, swapLast(rankA)) : a;
        const opB = transposeB ? k.transpose(b, swapLast(rankB)) : b;
        c = k.run(BatchMatMul, { a: opA, b: opB }, plain, true);
      } else {
        const lhs = transposeB ? b : k.transpose(b, swapLast(rankB));
        const rhs = transposeA ? a : k.transpose(a, swapLast(rankA));
        const cT = k.run(BatchMatMul, { a: lhs, b: rhs }, plain);
        c = k.run('Transpose', { x: cT }, { perm: swapLast(cT.shape.length) }, true);
      }
      k.dispose(c);
      return c;
    } catch (e) {
      k.dispose();
      throw e;
    }
  };
}

export function batchMatMulConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: BatchMatMul, backendName, kernelFunc: batchMatMulComposite(backendName) };
}
