import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ACTIVATION_GRAD_KERNEL } from '@forger/models/kernels';
import { elementwiseMainWgsl, recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { hostArrays } from '../backend/host-arrays.js';
import { KernelError } from '../backend/kernel-error.js';
import type { TensorMaker } from '../backend/tensor-maker.js';
import type { KernelBackendName } from '../backend/backend-names.js';

/**
 * An activation's gradient from its output in one kernel: tfjs-core's gradients take two or three (tanh:
 * Square, Sub, Multiply; leaky ReLU: Greater, Multiply, Select), a GPU dispatch each, and keras-dcgan
 * differentiates ten tanh per iteration, SSGAN-Tensorflow twelve leaky ReLUs. @forger/models' activations use
 * it wherever the active backend has it. The float32 operations are tfjs-core's, in its order, so cpu and
 * wasm give its results bit for bit.
 */
export type OutputActivation = 'tanh' | 'sigmoid' | 'relu' | 'leakyrelu';
export interface ActivationGradAttrs { activation: OutputActivation; alpha: number }

const activations: readonly OutputActivation[] = ['tanh', 'sigmoid', 'relu', 'leakyrelu'];

export function activationGradValues(a: ActivationGradAttrs, dy: Float32Array, y: Float32Array, dx: Float32Array): void {
  const f = Math.fround;
  const alpha = f(a.alpha);
  for (let i = 0; i < dx.length; i++) {
    const yi = y[i]!;
    switch (a.activation) {
      case 'tanh': dx[i] = f(f(1 - f(yi * yi)) * dy[i]!); break;
      case 'sigmoid': dx[i] = f(dy[i]! * f(yi * f(1 - yi))); break;
      case 'relu': dx[i] = yi > 0 ? dy[i]! : 0; break;
      case 'leakyrelu': dx[i] = yi > 0 ? dy[i]! : f(dy[i]! * alpha); break;
    }
  }
}

const expressions: Record<OutputActivation, string> = {
  tanh: '(1.0 - yi * yi) * g',
  sigmoid: 'g * (yi * (1.0 - yi))',
  relu: 'select(0.0, g, yi > 0.0)',
  leakyrelu: 'select(g * u.alpha, g, yi > 0.0)',
};

function activationGradWgsl(activation: OutputActivation): string {
  return `
struct Hyper { size: u32, alpha: f32 }
${storageBindingsWgsl(['dy', 'y'], ['dx'], { name: 'u', type: 'Hyper' })}
${elementwiseMainWgsl('u.size', `  let yi = y[i];
  let g = dy[i];
  dx[i] = ${expressions[activation]};`)}`;
}

function checked(inputs: Record<string, TensorInfo | undefined>, attrs: unknown): { dy: TensorInfo; y: TensorInfo; a: ActivationGradAttrs } {
  const { dy, y } = inputs;
  if (dy === undefined || y === undefined) throw new KernelError('bad-input', `${ACTIVATION_GRAD_KERNEL}: inputs "dy" and "y" are both required`);
  if (dy.shape.join() !== y.shape.join()) {
    throw new KernelError('bad-input', `${ACTIVATION_GRAD_KERNEL}: dy is [${dy.shape.join(', ')}] but y is [${y.shape.join(', ')}]`);
  }
  const a = attrs as ActivationGradAttrs;
  if (!activations.includes(a.activation)) {
    throw new KernelError('unsupported-attrs', `${ACTIVATION_GRAD_KERNEL}: activation "${String(a.activation)}" is not one of ${activations.join(', ')}`);
  }
  if (a.activation === 'leakyrelu' && !(a.alpha > 0)) {
    throw new KernelError('unsupported-attrs', `${ACTIVATION_GRAD_KERNEL}: leaky ReLU's slope must be > 0 to differentiate from the output, got ${a.alpha}`);
  }
  return { dy, y, a };
}

function hostKernel(backendName: 'cpu' | 'wasm'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, y, a } = checked(inputs, attrs);
    const h = hostArrays(backend as TensorMaker, backendName, ACTIVATION_GRAD_KERNEL, [dy, y], [dy.shape]);
    activationGradValues(a, h.inputs[0]!, h.inputs[1]!, h.outputValues[0]!);
    return h.outputs[0]!;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, y, a } = checked(inputs, attrs);
  const size = dy.shape.reduce((p, q) => p * q, 1);
  const dx = (backend as TensorMaker).makeTensorInfo(dy.shape, 'float32');
  recordComputeDispatch(backend as TensorMaker, {
    name: `ActivationGradProgram_${a.activation}`, code: activationGradWgsl(a.activation), reads: [dy, y], writes: [dx], threads: size,
    uniforms: [{ type: 'uint32', data: [size] }, { type: 'float32', data: [a.alpha] }],
  });
  return dx;
};

export function activationGradConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: ACTIVATION_GRAD_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
