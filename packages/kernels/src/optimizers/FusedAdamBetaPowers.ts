import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { recordComputeDispatch, storageBindingsWgsl } from '../webgpu/compute-dispatch.js';
import { KernelError } from '../backend/kernel-error.js';
import { hostArrays } from '../backend/host-arrays.js';
import type { KernelBackendName, HostBackendName } from '../backend/backend-names.js';
import type { TensorMaker } from '../backend/tensor-maker.js';

/**
 * Adam's once-per-step scalars in one kernel: from β1^t and β2^t (tfjs-core's `accBeta1`, `accBeta2`)
 * it makes biasCorrection = [1−β1^t, 1−β2^t] for this step's FusedAdamUpdates and the powers of the
 * next step, β1^(t+1) and β2^(t+1). tfjs-core spends two Sub and two Multiply on them.
 * Outputs: [accBeta1', accBeta2', biasCorrection].
 */
export const fusedAdamBetaPowersName = 'ForgerFusedAdamBetaPowers';

export interface FusedAdamBetaPowersAttrs {
  beta1: number;
  beta2: number;
}

const powersWgsl = `
struct Hyper { beta1: f32, beta2: f32 }
${storageBindingsWgsl(['accBeta1', 'accBeta2'], ['newAccBeta1', 'newAccBeta2', 'biasCorrection'], { name: 'hyper', type: 'Hyper' })}
@compute @workgroup_size(1)
fn main() {
  biasCorrection[0] = 1.0 - accBeta1[0];
  biasCorrection[1] = 1.0 - accBeta2[0];
  newAccBeta1[0] = accBeta1[0] * hyper.beta1;
  newAccBeta2[0] = accBeta2[0] * hyper.beta2;
}`;

function inputsOf(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  return (['accBeta1', 'accBeta2'] as const).map((n) => {
    const t = inputs[n];
    if (t === undefined || t.shape.length !== 0) {
      throw new KernelError('bad-input', `${fusedAdamBetaPowersName}: input "${n}" must be a scalar, got ${t === undefined ? 'none' : `[${t.shape.join(', ')}]`}`, { where: fusedAdamBetaPowersName });
    }
    return t;
  });
}

function hostKernel(backendName: HostBackendName): KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as TensorMaker;
    const a = attrs as unknown as FusedAdamBetaPowersAttrs;
    const h = hostArrays(backend, backendName, fusedAdamBetaPowersName, inputsOf(inputs), [[], [], [2]]);
    const f = Math.fround;
    const acc1 = h.inputs[0]![0]!;
    const acc2 = h.inputs[1]![0]!;
    h.outputValues[0]![0] = f(acc1 * f(a.beta1));
    h.outputValues[1]![0] = f(acc2 * f(a.beta2));
    h.outputValues[2]![0] = f(1 - acc1);
    h.outputValues[2]![1] = f(1 - acc2);
    return h.outputs;
  };
}

const webGpuKernel: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as TensorMaker;
  const a = attrs as unknown as FusedAdamBetaPowersAttrs;
  const writes = [[], [], [2]].map((shape) => backend.makeTensorInfo(shape, 'float32'));
  recordComputeDispatch(backend, {
    name: 'FusedAdamBetaPowersProgram', code: powersWgsl, reads: inputsOf(inputs), writes, threads: 1,
    uniforms: [{ type: 'float32', data: [a.beta1] }, { type: 'float32', data: [a.beta2] }],
  });
  return writes;
};

export function fusedAdamBetaPowersConfig(backendName: KernelBackendName): KernelConfig {
  return { kernelName: fusedAdamBetaPowersName, backendName, kernelFunc: backendName === 'webgpu' ? webGpuKernel : hostKernel(backendName) };
}
