import { ForgerError } from '@forger/core';

export type KernelErrorCode =
  /** A training kernel was given a layout Forger's networks never use (NCHW). */
  | 'unsupported-layout'
  /** A composite needs a kernel the backend does not register. */
  | 'missing-kernel'
  | 'unsupported-attrs'
  /** Tensors of the wrong dtype or shape, a missing input, a disposed variable. */
  | 'bad-input'
  /** A WebGPU dispatch was asked of a backend that is not tfjs-backend-webgpu 4.22. */
  | 'not-webgpu'
  /** A WebGPU dispatch's tensor is not held in a GPU buffer. */
  | 'not-a-buffer'
  | 'bad-dtype'
  /** A workgroup grid or a matrix-product tiling beyond the device's limits. */
  | 'bad-grid'
  /** The threaded wasm build was asked for a thread count it cannot give, or did not start (threaded-wasm.ts). */
  | 'wasm-threads';

/**
 * A Forger kernel (training, optimizer, or the WebGPU dispatch under them) was asked for something it does not
 * implement. `where` names the kernel or variable when the message alone would not.
 */
export class KernelError extends ForgerError<KernelErrorCode> {
  override readonly name = 'KernelError';
}
