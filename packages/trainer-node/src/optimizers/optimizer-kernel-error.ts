import { ForgerError } from '@forger/core';

export type OptimizerKernelErrorCode = 'bad-input' | 'unsupported-backend';

/** A fused optimizer update was given tensors it cannot update, or run where it has no kernel. */
export class OptimizerKernelError extends ForgerError<OptimizerKernelErrorCode> {
  override readonly name = 'OptimizerKernelError';
}
