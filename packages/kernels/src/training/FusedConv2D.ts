import { FusedConv2D, type FusedConv2DAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../backend/backend-kernels.js';
import { conv2DConfig, singleOutputConvInfo } from './Conv2D.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Convolution plus bias in one kernel: Forger's conv layers call tf.fused.conv2d so that on webgpu the
 * bias add is part of the convolution's program (one dispatch less per layer and pass, issue 7). On wasm
 * the convolution to one output channel keeps Forger's faster route (Conv2D.ts), then the bias is added;
 * every other case goes to wasm's own FusedConv2D.
 */
function fusedConv2DComposite(backendName: KernelBackendName): KernelFunc {
  const conv = conv2DConfig(backendName).kernelFunc;
  return ({ inputs, attrs, backend }) => {
    const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    const { activation } = attrs as unknown as FusedConv2DAttrs;
    const k = new BackendKernels(backend as KernelBackend, backendName);
    const ownRoute = activation !== 'linear' || preluActivationWeights !== undefined || singleOutputConvInfo(x!, filter!, attrs as unknown as FusedConv2DAttrs) === undefined;
    if (ownRoute) return k.run(FusedConv2D, inputs, attrs, true);
    const y = conv({ inputs: { x: x!, filter: filter! }, attrs, backend }) as TensorInfo;
    if (bias === undefined) return y;
    try {
      return k.run('Add', { a: y, b: bias }, {}, true);
    } finally {
      (backend as KernelBackend).disposeData(y.dataId);
    }
  };
}

export function fusedConv2DConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: FusedConv2D, backendName, kernelFunc: fusedConv2DComposite(backendName) };
}
