import { getKernel, type KernelBackend, type KernelConfig, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from './kernel-error.js';

/** The backends Forger registers training kernels for (tfjs-node has its own native ones). */
export type KernelBackendName = 'wasm' | 'webgpu' | 'cpu';

/**
 * Calls a backend's own kernels from inside a composite kernel and frees the intermediates.
 *
 * A composite kernel runs inside the engine's kernel dispatch, so it cannot call tf ops (they would
 * be recorded on the tape and tracked as tensors); it calls `kernelFunc`s directly, the way
 * tfjs-backend-wasm's own composites (e.g. its `FusedBatchNorm` helpers) do, and must dispose
 * every TensorInfo it made except the one it returns.
 */
export class BackendKernels {
  private readonly intermediates: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: KernelBackendName,
  ) {}

  /**
   * Runs `kernelName` on this backend; the result is freed by `dispose()` unless `keep`. Where Forger
   * replaced that kernel, this runs the backend's own one (a composite may wrap the kernel it replaces).
   */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}, keep = false): TensorInfo {
    const kernel = backendsOwnKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new KernelError('missing-kernel', `Forger training kernel needs "${kernelName}" on the ${this.backendName} backend, which does not register it`);
    }
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend });
    if (Array.isArray(out)) {
      throw new KernelError('missing-kernel', `kernel "${kernelName}" on ${this.backendName} returned ${out.length} outputs where one was expected`);
    }
    if (!keep) this.intermediates.push(out);
    return out;
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero padding; returns `x` itself when nothing is to be added. */
  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    if (paddings.every(([before, after]) => before === 0 && after === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Returns `x` itself when the slice is the whole tensor. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  /**
   * Spreads the rows and columns of `x` [B, H, W, C] apart: (s − 1) zeros after every pixel, giving
   * [B, H·sh, W·sw, C]. Built in rank 4 (webgpu's pad cannot index rank 6): columns first, then rows.
   */
  dilate(x: TensorInfo, strideHeight: number, strideWidth: number): TensorInfo {
    const [batch, height, width, channels] = x.shape as [number, number, number, number];
    let out = x;
    if (strideWidth > 1) {
      const columns = this.reshape(out, [batch * height, width, 1, channels]);
      const spread = this.pad(columns, [[0, 0], [0, 0], [0, strideWidth - 1], [0, 0]]);
      out = this.reshape(spread, [batch, height, width * strideWidth, channels]);
    }
    if (strideHeight > 1) {
      const rows = this.reshape(out, [batch, height, 1, width * strideWidth * channels]);
      const spread = this.pad(rows, [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0]]);
      out = this.reshape(spread, [batch, height * strideHeight, width * strideWidth, channels]);
    }
    return out;
  }

  /** A float32 constant on this backend, freed by `dispose()`. */
  constant(shape: number[], values: Float32Array): TensorInfo {
    const t: TensorInfo = { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
    this.intermediates.push(t);
    return t;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /**
   * Frees every intermediate except `result` (the kernel's output). An intermediate that shares its data
   * with the result (a reshape) only drops its reference: backends count references per data id.
   */
  dispose(result?: TensorInfo): void {
    for (const t of this.intermediates) {
      if (t !== result) this.backend.disposeData(t.dataId);
    }
    this.intermediates.length = 0;
  }
}

/** The backends' own kernels that Forger's replaced, by "backend/kernel". */
const ownKernels = new Map<string, KernelConfig>();

/** Remembers a backend's own kernel before Forger's replaces it in the registry. */
export function rememberOwnKernel(config: KernelConfig): void {
  const key = `${config.backendName}/${config.kernelName}`;
  if (!ownKernels.has(key)) ownKernels.set(key, config);
}

/** The backend's own kernel, even where Forger's has replaced it in the registry; undefined if it has none. */
export function backendsOwnKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  return ownKernels.get(`${backendName}/${kernelName}`) ?? getKernel(kernelName, backendName);
}
// Before registration (or on a backend Forger does not touch) the registry holds the backend's own kernel.
