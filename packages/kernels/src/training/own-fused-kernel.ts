import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendKernels } from '../backend/backend-kernels.js';
import type { ConvActivation } from './convolution-gemm.js';

/** tfjs's kernels for the activations its fused kernels lack. */
const activationKernels = { tanh: 'Tanh', sigmoid: 'Sigmoid' } as const;

/** Whether tfjs's own fused kernels (FusedConv2D, _FusedMatMul) apply this activation: not tanh, not sigmoid. */
export function backendFuses(a: ConvActivation): boolean {
  return a.kind === 'linear' || a.kind === 'relu' || a.kind === 'leakyrelu';
}

/**
 * The backend's own fused product kernel (FusedConv2D or _FusedMatMul, with the bias) and, when it cannot apply
 * the activation itself, the activation's own kernel after it: what Forger's one-kernel forms do in one dispatch,
 * on the backends (cpu) and routes (webgpu with FORGER_WEBGPU_CONV=tfjs) that run tfjs's kernels.
 */
export function ownFusedThenActivation(k: BackendKernels, kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap, activation: ConvActivation): TensorInfo {
  const fused = backendFuses(activation);
  const own = fused ? { activation: activation.kind, leakyreluAlpha: activation.kind === 'leakyrelu' ? activation.slope : undefined } : { activation: 'linear' };
  const z = k.run(kernelName, inputs, { ...attrs, ...own } as NamedAttrMap, true);
  if (fused) return z;
  try {
    return k.run(activationKernels[activation.kind as 'tanh' | 'sigmoid'], { x: z }, {}, true);
  } finally {
    // Only what this function made: the caller's intermediates in `k` are the caller's to free.
    k.backend.disposeData(z.dataId);
  }
}
