import { ForgerError, type ForgerErrorOptions } from '@forger/core';

export type BackendErrorCode =
  | 'not-installed'     // the backend's npm package is absent (tfjs-node, tfjs-node-gpu)
  | 'no-adapter'        // WebGPU: Dawn found no adapter, or only a software one where a real GPU was required
  | 'init-failed'       // the package loaded but tf.setBackend failed
  | 'bad-flag'          // a kernel flag's environment variable (FORGER_WEBGPU_CONV, …) has a value it does not take
  | 'all-failed';       // `auto`: every candidate failed; the message lists each reason

export interface BackendErrorOptions extends ForgerErrorOptions {
  /** What native code (Dawn, the Vulkan loader) wrote to stderr while the backend was probed; printed only when no backend started, or with --verbose. */
  nativeOutput?: string | undefined;
}

/** A backend could not be prepared; the message says which, why, and what to do. `where` is the backend. */
export class BackendError extends ForgerError<BackendErrorCode> {
  override readonly name = 'BackendError';
  readonly nativeOutput: string | undefined;

  constructor(code: BackendErrorCode, message: string, options: BackendErrorOptions = {}) {
    super(code, message, options);
    this.nativeOutput = options.nativeOutput;
  }

  /** The backend that failed (`where`). */
  get backend(): string {
    return this.where ?? '';
  }
}
