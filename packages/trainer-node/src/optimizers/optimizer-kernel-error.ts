export type OptimizerKernelErrorCode = 'bad-input' | 'unsupported-backend';

/** A fused optimizer update was given tensors it cannot update, or run where it has no kernel. */
export class OptimizerKernelError extends Error {
  override readonly name = 'OptimizerKernelError';
  constructor(readonly code: OptimizerKernelErrorCode, message: string, readonly where?: string) {
    super(message);
  }
}
