import { _FusedMatMul, type KernelBackend, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { MATMUL_KERNEL } from '@forger/models/kernels';
import { BackendKernels } from '../backend/backend-kernels.js';
import { convActivationOf } from './convolution-gemm.js';
import { matrixProductWgsl } from './matrix-product-gemm.js';
import { convRoute } from './webgpu-conv-routes.js';
import { ownFusedThenActivation } from './own-fused-kernel.js';
import { KernelError } from '../backend/kernel-error.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Forger's MATMUL_KERNEL (see @forger/models forger-kernels.ts): a [M, K] · [K, N] product + bias + activation,
 * tanh and sigmoid included, in one kernel. On webgpu one WGSL program on the same engine as the convolutions
 * (gpu/implicit-gemm.ts; keras-dcgan's dense layers end in tanh: one dispatch each instead of two). With
 * FORGER_WEBGPU_CONV=tfjs, and on cpu, tfjs's _FusedMatMul and then the activation's kernel.
 */
function forgerMatMul(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { a, b, bias } = inputs as Record<string, TensorInfo | undefined>;
    if (a === undefined || b === undefined) throw new KernelError('bad-input', `${MATMUL_KERNEL}: inputs "a" and "b" are both required`);
    if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0]) {
      throw new KernelError('bad-input', `${MATMUL_KERNEL}: a [${a.shape.join(', ')}] and b [${b.shape.join(', ')}] are not an [M, K] and a [K, N] matrix`);
    }
    const [m, k] = a.shape as [number, number];
    const n = b.shape[1]!;
    if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== n)) {
      throw new KernelError('bad-input', `${MATMUL_KERNEL}: bias [${bias.shape.join(', ')}] is not one value per column (${n})`);
    }
    const { activation: name, leakyreluAlpha } = attrs as { activation?: string; leakyreluAlpha?: number };
    const activation = convActivationOf(name, leakyreluAlpha);
    if (activation === undefined) {
      throw new KernelError('unsupported-attrs', `${MATMUL_KERNEL}: activation "${name}" is not one of linear, relu, leakyrelu, tanh, sigmoid`);
    }
    if (backendName === 'webgpu' && convRoute() === 'forger') return matrixProductWgsl(backend as KernelBackend, a, b, [m, n], { bias, activation });
    const kernels = new BackendKernels(backend as KernelBackend, backendName);
    try {
      // The backends' batched products take rank-3 operands: a batch of one.
      const a3 = kernels.reshape(a, [1, m, k]);
      const b3 = kernels.reshape(b, [1, k, n]);
      const y3 = ownFusedThenActivation(kernels, _FusedMatMul, bias === undefined ? { a: a3, b: b3 } : { a: a3, b: b3, bias },
        { transposeA: false, transposeB: false } as unknown as NamedAttrMap, activation);
      // A reshape shares y3's data: dropping y3's reference leaves the result's.
      const y = kernels.run('Reshape', { x: y3 }, { shape: [m, n] }, true);
      (backend as KernelBackend).disposeData(y3.dataId);
      return y;
    } finally {
      kernels.dispose();
    }
  };
}

export function forgerMatMulConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: MATMUL_KERNEL, backendName, kernelFunc: forgerMatMul(backendName) };
}
