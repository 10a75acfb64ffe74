import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { HostBackendName } from './backend-names.js';
import { KernelError } from './kernel-error.js';
import type { TensorMaker } from './tensor-maker.js';

interface CpuBackendData { data: { get(dataId: object): { values: unknown } | undefined } }
interface WasmBackendHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/**
 * Float32 views of a kernel's inputs and of freshly made outputs (same shapes as `outputShapes`) on the
 * cpu or wasm backend. On wasm the outputs are allocated before any view is taken: an allocation can grow
 * the wasm memory, which detaches every view taken before it.
 */
export function hostArrays(
  backend: TensorMaker, backendName: HostBackendName, kernelName: string, inputs: TensorInfo[], outputShapes: number[][],
): { inputs: Float32Array[]; outputs: TensorInfo[]; outputValues: Float32Array[] } {
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new KernelError('bad-input', `${kernelName}: a [${t.shape.join(', ')}] input is ${t.dtype}, float32 expected`, { where: kernelName });
  }
  if (backendName === 'wasm') {
    const wasm = backend as unknown as WasmBackendHeap;
    const outputs = outputShapes.map((shape) => wasm.makeOutput(shape, 'float32'));
    return { inputs: inputs.map((t) => wasm.typedArrayFromHeap(t)), outputs, outputValues: outputs.map((t) => wasm.typedArrayFromHeap(t)) };
  }
  const cpu = backend as unknown as CpuBackendData;
  const values = inputs.map((t) => {
    const v = cpu.data.get(t.dataId)?.values;
    if (!(v instanceof Float32Array)) throw new KernelError('bad-input', `${kernelName}: an input of shape [${t.shape.join(', ')}] holds no float32 values on the cpu backend`, { where: kernelName });
    return v;
  });
  const outputValues = outputShapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  // The cpu backend keeps the array it is given, so the loop may fill it afterwards.
  const outputs = outputShapes.map((shape, i) => backend.makeTensorInfo(shape, 'float32', outputValues[i]));
  return { inputs: values, outputs, outputValues };
}
