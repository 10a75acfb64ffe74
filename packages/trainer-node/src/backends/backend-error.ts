export type BackendErrorCode =
  | 'not-installed'     // the backend's npm package is absent (tfjs-node, tfjs-node-gpu)
  | 'no-adapter'        // WebGPU: Dawn found no adapter, or only a software one where a real GPU was required
  | 'init-failed'       // the package loaded but tf.setBackend failed
  | 'all-failed';       // `auto`: every candidate failed; the message lists each reason

/** A backend could not be prepared; the message says which, why, and what to do. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly code: BackendErrorCode,
    readonly backend: string,
    message: string,
    /** What native code (Dawn, the Vulkan loader) wrote to stderr while the backend was probed; printed only when no backend started, or with --verbose. */
    readonly nativeOutput?: string,
  ) {
    super(message);
  }
}
