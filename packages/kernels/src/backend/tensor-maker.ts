import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** A backend as kernels see it: KernelBackend, whose typings lack the `makeTensorInfo` every backend has. */
export type TensorMaker = KernelBackend & { makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo };
