import { FusedConv2D, type FusedConv2DAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { CONV_KERNEL } from '@forger/models/kernels';
import { BackendKernels } from '../backend/backend-kernels.js';
import { convActivationOf, convolutionWgsl, forwardConvInfo } from './convolution-gemm.js';
import { convRoute } from './webgpu-conv-routes.js';
import { ownFusedThenActivation } from './own-fused-kernel.js';
import { KernelError } from '../backend/kernel-error.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * Forger's CONV_KERNEL (see @forger/models forger-kernels.ts): convolution + bias + activation, tanh and sigmoid
 * included, in one kernel. On webgpu one WGSL program (convolution-gemm.ts), so keras-dcgan's tanh convolutions
 * take one dispatch each instead of two; with FORGER_WEBGPU_CONV=tfjs, and on cpu (the reference the webgpu
 * program is checked against), tfjs's FusedConv2D and then the activation's kernel.
 */
function forgerConv2D(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { x, filter, bias } = inputs as Record<string, TensorInfo | undefined>;
    const a = attrs as unknown as FusedConv2DAttrs;
    if (x === undefined || filter === undefined) throw new KernelError('bad-input', `${CONV_KERNEL}: inputs "x" and "filter" are both required`);
    if (x.shape.length !== 4 || filter.shape.length !== 4 || x.shape[3] !== filter.shape[2]) {
      throw new KernelError('bad-input', `${CONV_KERNEL}: x [${x.shape.join(', ')}] and filter [${filter.shape.join(', ')}] are not an NHWC image batch and its [KH, KW, Ci, Co] filter`);
    }
    if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3])) {
      throw new KernelError('bad-input', `${CONV_KERNEL}: bias [${bias.shape.join(', ')}] is not one value per output channel (${filter.shape[3]})`);
    }
    const activation = convActivationOf(a.activation, a.leakyreluAlpha);
    if (activation === undefined) {
      throw new KernelError('unsupported-attrs', `${CONV_KERNEL}: activation "${a.activation}" is not one of linear, relu, leakyrelu, tanh, sigmoid`);
    }
    if (backendName === 'webgpu' && convRoute() === 'forger') {
      return convolutionWgsl(backend as KernelBackend, x, filter, bias, forwardConvInfo(x, filter, a), activation);
    }
    const k = new BackendKernels(backend as KernelBackend, backendName);
    return ownFusedThenActivation(k, FusedConv2D, bias === undefined ? { x, filter } : { x, filter, bias }, attrs ?? {}, activation);
  };
}

export function forgerConv2DConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: CONV_KERNEL, backendName, kernelFunc: forgerConv2D(backendName) };
}
